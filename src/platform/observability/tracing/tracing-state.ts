// Kept free of Nest and the SDK: src/tracing.ts imports it before either may load.

export interface RunningTracing {
  /** One line for the start-up log. */
  description: string;
  /** Exports what is still buffered and stops the SDK. */
  flush(): Promise<void>;
}

let running: RunningTracing | undefined;

/** Called by src/tracing.ts once the SDK runs. */
export function tracingStarted(tracing: RunningTracing): void {
  running = tracing;
}

export function runningTracing(): RunningTracing | undefined {
  return running;
}
