// The options page's label of each setting, to name a field the way the person sees it.
import type { MessageKey } from './i18n';
import type { SettingsField } from './settings';

export const SETTINGS_FIELD_LABELS: Record<SettingsField, MessageKey> = {
  domain: 'fieldDomain',
  clientId: 'fieldClientId',
  audience: 'fieldAudience',
  identityPoolId: 'fieldIdentityPoolId',
  tableName: 'fieldTableName',
  datasetName: 'fieldDatasetName',
  syncIntervalMinutes: 'fieldSyncIntervalMinutes',
  conflictStrategy: 'fieldConflictStrategy',
  cognitoIdentityEndpoint: 'fieldCognitoIdentityEndpoint',
  dynamodbEndpoint: 'fieldDynamodbEndpoint',
  roleArn: 'fieldRoleArn',
  accountId: 'fieldAccountId',
  stsEndpoint: 'fieldStsEndpoint',
  customEndpoints: 'fieldCustomEndpoints',
  syncBackend: 'fieldSyncBackend',
  cognitoSyncEndpoint: 'fieldCognitoSyncEndpoint',
};
