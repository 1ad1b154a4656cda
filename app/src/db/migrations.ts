// The schema, as an ordered list of migrations; each runs once on the primary (see migrate.ts). Append only, never edit.
export interface Migration {
  /** Unique and sortable: the order of the list is the order of application. */
  id: string;
  /** Run in order; DDL commits implicitly in MySQL, so each statement must be safe to run again. */
  statements: string[];
}

export const migrations: Migration[] = [
  {
    id: "0001-create-messages",
    statements: [
      `CREATE TABLE IF NOT EXISTS messages (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  author VARCHAR(64) NOT NULL,
  \`text\` VARCHAR(500) NOT NULL,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    ],
  },
];
