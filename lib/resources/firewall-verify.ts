// The firewall resources' verify step: a new SSH login after the change, whose failure refuses it (and rolls it back).

/** `verify` (a new login), its failure reworded as the firewall change refused, saying after what. */
export function verifiedByNewLogin(verify: () => Promise<void>, after: string): () => Promise<void> {
  return async () => {
    try {
      await verify();
    } catch (error) {
      throw new Error(
        `firewall change refused: a new SSH connection failed after ${after} (${(error as Error).message})`,
      );
    }
  };
}
