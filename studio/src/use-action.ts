// A button's work: busy while it runs, its failure kept for an ErrorNotice, cleared on the next try.

import { useState } from "preact/hooks";

export function useAction(): {
  run: (work: () => Promise<unknown>) => Promise<boolean>;
  busy: boolean;
  error: unknown;
  setError: (e: unknown) => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  async function run(work: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { run, busy, error, setError };
}
