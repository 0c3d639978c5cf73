import type { FleetModel } from '@switchyard/providers';

/** Faults a request can be made to suffer. Error statuses answer at once; the rest act on the connection. */
export const faultNames = ['400', '401', '404', '429', '500', '503', '529', 'timeout', 'cut', 'malformed', 'reset'] as const;
export type Fault = (typeof faultNames)[number];

/** Header a test sets to force a fault deterministically. */
export const FAULT_HEADER = 'x-sim-fault';

export function parseFaultHeader(value: string | string[] | undefined): Fault | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text && (faultNames as readonly string[]).includes(text) ? (text as Fault) : undefined;
}

/** A fault drawn from the model's reliability profile (undefined: the request succeeds). */
export function drawFault(model: FleetModel, stream: boolean, random: () => number): Fault | undefined {
  const { errorRates, timeoutRate, cutRate } = model.reliability;
  let draw = random();
  for (const status of ['500', '503', '429', '529'] as const) {
    draw -= errorRates[status];
    if (draw < 0) return status;
  }
  draw -= timeoutRate;
  if (draw < 0) return 'timeout';
  if (stream && cutRate > 0 && random() < cutRate) return 'cut';
  return undefined;
}
