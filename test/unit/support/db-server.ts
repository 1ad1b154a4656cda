// Server options of a lab-like db-02, shared by the database config tests (the role fills in `role`).

export const DB_02 = {
  hostName: "db-02",
  serverId: 22,
  bindAddress: "10.0.0.22",
  binlogExpireDays: 7,
  maxConnections: 200,
};
