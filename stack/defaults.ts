// Defaults of `npm run stack` and startStack().

export const DEFAULT_PORT = 4599;
export const DEFAULT_DATA_DIR = '.stack-data';

/** Lifetimes in seconds: Auth0's defaults (rotating refresh tokens), Cognito's hour for credentials. */
export const DEFAULT_TTL = {
  idTokenTtl: 36_000,
  accessTokenTtl: 86_400,
  refreshTokenTtl: 2_592_000,
  sessionTtl: 259_200,
  credentialsTtl: 3_600,
} as const;
