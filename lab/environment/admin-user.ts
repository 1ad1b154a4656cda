// The lab hosts' login as cloud images hand it out: a non-root user holding the lab key, with passwordless sudo
// (but on one host, whose sudo asks for the password: lab/sudo-password.ts). Constants only: hosts.ts imports them.

/** Debian's cloud images name their default user "debian" (Ubuntu's: "ubuntu"). */
export const ADMIN_USER = "debian";
/** The first user an image creates. */
export const ADMIN_UID = 1000;
/** cloud-init's file for its default user's sudo rule. */
export const ADMIN_SUDOERS = {
  path: "etc/sudoers.d/90-cloud-init-users",
  content: `# Created by the lab as cloud-init does for an image's default user\n${ADMIN_USER} ALL=(ALL) NOPASSWD:ALL\n`,
};

/** The lab host whose sudo asks for the admin user's password, the secret holding it, and the lab's secrets file. */
export const SUDO_ASKS_ON = "mon-01";
export const BECOME_SECRET = "lab_become_password";
export const LAB_SECRETS_FILE = ".lab/secrets.json";
