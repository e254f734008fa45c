// The loop both embedded workers run: work while there is work, otherwise sleep until
// woken (new work in this process) or until the poll interval passes (work from other
// processes, scheduled retries).
export type PollLoop = { wake(): void; stop(): Promise<void> };

export function startPollLoop(step: () => Promise<number>, opts: { pollMs: number; onError?: (err: unknown) => void }): PollLoop {
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, opts.pollMs);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wakeUp = undefined;
    });
  const running = (async () => {
    while (!stopped) {
      let n = 0;
      try {
        n = await step();
      } catch (err) {
        opts.onError?.(err);
      }
      if (n === 0 && !stopped) await sleep();
    }
  })();
  return {
    wake: () => wakeUp?.(),
    async stop() {
      stopped = true;
      wakeUp?.();
      await running;
    },
  };
}
