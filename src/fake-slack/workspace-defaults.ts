/**
 * The fake workspace's ids, shared by the fake Web API (its defaults) and the request builders, so a
 * payload built without a fake at hand names the same team, app and bot the fake answers as.
 */
export const WORKSPACE = {
  teamId: 'T0FBTEAM01',
  teamDomain: 'firebreak-test',
  appId: 'A0FBAPP001',
  botUserId: 'U0FBBOT001',
  botId: 'B0FBBOT001',
  /** Slack's deprecated verification token: still sent, never to be trusted (the signature is what counts). */
  verificationToken: 'fAkEvErIfIcAtIoNtOkEn001',
} as const;
