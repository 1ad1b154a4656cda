// A secrets file encrypted with age (ASCII-armored, so `age -d` reads it too) to the recipients listed beside it.
// The plaintext exists only in this process's memory: decrypted from the file, encrypted back to it, never a temp file.
import { existsSync, readFileSync } from "node:fs";
import { replaceFile } from "../replace-file.ts";
import { InputError } from "../errors.ts";
import { defaultIdentityFile, findIdentities, IDENTITY_ENV, IDENTITY_FILE_ENV } from "./identity.ts";
import { readRecipients, recipientsPathOf } from "./recipients.ts";
import { parseValues, serialiseValues, type SecretsFile, type SecretValues } from "./secrets-file.ts";

/** age-encryption is loaded only by runs that open an encrypted file (the lab's clear files never pay for it). */
const ageLibrary = () => import("age-encryption");

const askForAccess = (environment: string) =>
  "to get access: `npx tsx playbooks/secrets.ts identity` prints your public key (creating your key if needed); " +
  `someone who can read the file runs \`npx tsx playbooks/secrets.ts -i ${environment} recipients add <your key> <your name>\` and commits`;

export function encryptedSecretsFile(name: string, path: string, environment: string): SecretsFile {
  const recipientsPath = recipientsPathOf(path);
  const recipientsName = recipientsPathOf(name);
  return {
    name,
    path,
    encrypted: true,
    async read(): Promise<SecretValues> {
      if (!existsSync(path)) return {};
      const identities = findIdentities();
      if (!identities || identities.keys.length === 0) {
        const where = identities
          ? `${identities.source} holds no AGE-SECRET-KEY line`
          : `no $${IDENTITY_ENV}, no $${IDENTITY_FILE_ENV}, no ${defaultIdentityFile()}`;
        throw new InputError([
          `secrets file ${name} is encrypted and no age identity was found (${where}); ${askForAccess(environment)}`,
        ]);
      }
      const { Decrypter, armor } = await ageLibrary();
      const decrypter = new Decrypter();
      try {
        for (const key of identities.keys) decrypter.addIdentity(key);
      } catch (error) {
        throw new InputError([`age identity from ${identities.source}: ${(error as Error).message}`]);
      }
      let text: string;
      try {
        text = await decrypter.decrypt(armor.decode(readFileSync(path, "utf8")), "text");
      } catch (error) {
        throw new InputError([
          `secrets file ${name}: cannot decrypt with the identity from ${identities.source} (${(error as Error).message}); it is not among the recipients in ${recipientsName}; ${askForAccess(environment)}`,
        ]);
      }
      try {
        return parseValues(text, name);
      } catch (error) {
        throw new InputError([(error as Error).message]);
      }
    },
    async write(values: SecretValues): Promise<void> {
      const recipients = readRecipients(recipientsPath);
      if (recipients.length === 0)
        throw new InputError([
          `${recipientsName} lists no recipients: add your public key first (\`npx tsx playbooks/secrets.ts -i ${environment} recipients add <key> <name>\`)`,
        ]);
      const { Encrypter, armor } = await ageLibrary();
      const encrypter = new Encrypter();
      for (const recipient of recipients) {
        try {
          encrypter.addRecipient(recipient.key);
        } catch (error) {
          throw new InputError([
            `${recipientsName}: "${recipient.key}" is not an age public key (${(error as Error).message})`,
          ]);
        }
      }
      const armored = armor.encode(await encrypter.encrypt(serialiseValues(values)));
      replaceFile(path, armored, { mode: 0o644 });
    },
  };
}
