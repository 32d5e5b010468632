// A pulse's answer within the plan's wall time: the same race for live traffic and for a preview.

/** The pulse's answer, or "timeout" once the plan's wall time has passed (the pulse may still be running). */
export async function withinWallTime<T>(work: Promise<T>, wallMs: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), wallMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
