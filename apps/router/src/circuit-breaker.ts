/**
 * Per-model circuit breaker. Closed: calls flow; `failureThreshold` consecutive failures open
 * it. Open: selection skips the model until `coolDownMs` has passed. Half-open: one trial call
 * is let through; success closes the circuit, failure opens it for another cool-down. An
 * upstream's retry-after also keeps the model out until then, without counting as a failure.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

interface Circuit {
  failures: number;
  openUntil: number;
  trialInFlight: boolean;
  state: CircuitState;
  /** Upstream asked us to wait (retry-after) until this time. */
  blockedUntil: number;
}

export interface CircuitBreakerOptions {
  failureThreshold: number;
  coolDownMs: number;
  now?: () => number;
  onChange?: (modelId: string, state: CircuitState) => void;
}

export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  private circuit(modelId: string): Circuit {
    let circuit = this.circuits.get(modelId);
    if (!circuit) {
      circuit = { failures: 0, openUntil: 0, trialInFlight: false, state: 'closed', blockedUntil: 0 };
      this.circuits.set(modelId, circuit);
    }
    return circuit;
  }

  private setState(modelId: string, circuit: Circuit, state: CircuitState): void {
    if (circuit.state === state) return;
    circuit.state = state;
    this.options.onChange?.(modelId, state);
  }

  /** Should selection skip this model now? A half-open circuit admits one trial. */
  isOpen(modelId: string): boolean {
    const circuit = this.circuits.get(modelId);
    if (!circuit) return false;
    const now = this.now();
    if (circuit.blockedUntil > now) return true;
    if (circuit.state === 'closed') return false;
    if (circuit.state === 'open' && now >= circuit.openUntil) this.setState(modelId, circuit, 'half-open');
    if (circuit.state === 'half-open') return circuit.trialInFlight;
    return true;
  }

  /** Called when a call starts; marks the half-open trial as taken. */
  onAttempt(modelId: string): void {
    const circuit = this.circuits.get(modelId);
    if (circuit && circuit.state === 'half-open') circuit.trialInFlight = true;
  }

  onSuccess(modelId: string): void {
    const circuit = this.circuits.get(modelId);
    if (!circuit) return;
    circuit.failures = 0;
    circuit.trialInFlight = false;
    this.setState(modelId, circuit, 'closed');
  }

  onFailure(modelId: string, retryAfterMs?: number): void {
    const circuit = this.circuit(modelId);
    const now = this.now();
    if (retryAfterMs !== undefined && retryAfterMs > 0) circuit.blockedUntil = Math.max(circuit.blockedUntil, now + retryAfterMs);
    circuit.failures += 1;
    circuit.trialInFlight = false;
    if (circuit.state === 'half-open' || circuit.failures >= this.options.failureThreshold) {
      circuit.openUntil = now + this.options.coolDownMs;
      this.setState(modelId, circuit, 'open');
    }
  }

  state(modelId: string): CircuitState {
    const circuit = this.circuits.get(modelId);
    if (!circuit) return 'closed';
    if (circuit.state === 'open' && this.now() >= circuit.openUntil) return 'half-open';
    return circuit.state;
  }

  /** Every model with a circuit, for /metrics and /readyz. */
  states(): Array<{ model: string; state: CircuitState; failures: number }> {
    return [...this.circuits].map(([model, circuit]) => ({ model, state: this.state(model), failures: circuit.failures }));
  }
}
