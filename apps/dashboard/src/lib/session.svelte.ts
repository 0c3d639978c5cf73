import { ApiError, errorText, onUnauthorized, sendJson, getJson } from './api';

/** Whether the API lets us in; a 401 anywhere shows the token screen. */
export class Session {
  status = $state<'checking' | 'signed-in' | 'needs-token'>('checking');
  auth = $state<'on' | 'off'>('on');
  error = $state<string | null>(null);

  constructor() {
    onUnauthorized(() => {
      if (this.auth === 'on') this.status = 'needs-token';
    });
  }

  async check(): Promise<void> {
    try {
      const answer = await getJson<{ auth: 'on' | 'off'; authenticated: boolean }>('/api/session');
      this.auth = answer.auth;
      this.status = answer.authenticated ? 'signed-in' : 'needs-token';
    } catch (error) {
      this.error = errorText(error);
      this.status = 'needs-token';
    }
  }

  async signIn(token: string): Promise<boolean> {
    this.error = null;
    try {
      await sendJson('POST', '/api/session', { token });
      this.status = 'signed-in';
      return true;
    } catch (error) {
      this.error = error instanceof ApiError && error.status === 401 ? 'That token is not valid.' : errorText(error);
      return false;
    }
  }

  async signOut(): Promise<void> {
    await sendJson('DELETE', '/api/session').catch(() => undefined);
    this.status = this.auth === 'on' ? 'needs-token' : 'signed-in';
  }
}
