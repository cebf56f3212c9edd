export {
  smsParams,
  signedWebhookRequest,
  segmentCount,
  randomSid,
  DEFAULT_FROM,
  DEFAULT_TO,
  SIMULATOR_ACCOUNT_SID,
  type SmsParamsOptions,
  type SignOptions,
  type WebhookMethod,
  type WebhookRequest,
} from './webhook-request.js';
export { twimlMessages, TwimlError } from './twiml.js';
export { simulateSms, SimulatorError, DEFAULT_SERVICE_URL, type SimulateOptions, type SimulateResult } from './simulator.js';
export { credentialsFromEnv, CredentialsError, type TwilioCredentials } from './credentials.js';
export {
  pointSmsWebhook,
  validateInputs,
  NumberNotFoundError,
  InvalidInputError,
  type IncomingNumber,
  type IncomingNumbers,
  type Change,
  type PointResult,
} from './sms-webhook.js';
