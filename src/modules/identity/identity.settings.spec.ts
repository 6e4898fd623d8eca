import { identitySettings } from './identity.settings';

describe('identitySettings', () => {
  it('has defaults and reads durations', () => {
    expect(identitySettings({ LOGIN_ATTEMPT_WINDOW: '10m', DEMO_USERS: 'false' })).toMatchObject({
      demoUsers: false,
      maxAttemptsPerUser: 5,
      maxAttemptsPerAddress: 30,
      attemptWindowSeconds: 600,
    });
  });

  it.each([
    ['LOGIN_MAX_ATTEMPTS_PER_USER', '0'],
    ['LOGIN_ATTEMPT_WINDOW', 'soon'],
    ['DEMO_USERS', 'maybe'],
  ])('rejects %s=%p with a message naming it', (name, value) => {
    expect(() => identitySettings({ [name]: value })).toThrow(name);
  });
});
