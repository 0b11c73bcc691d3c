export { useGenerateOwnApiKeys, useGenerateUserApiKeys, useOwnApiKeysStatus } from './api-keys.api';
export { GenerateApiKeysModal } from './components/generate-api-keys-modal';
export { OwnApiKeysPanel } from './components/own-api-keys-panel';
