// Where `npm start` runs the local stack, and the settings the development build offers for it.
// The stack (stack/) uses the same identity pool id, client id and table.
export const LOCAL_STACK_PORT = 4599;
export const LOCAL_IDENTITY_POOL_ID = 'us-east-1:5ca1ab1e-0000-4000-8000-00000000c0de';

export const LOCAL_STACK_SETTINGS = Object.freeze({
  domain: `http://127.0.0.1:${LOCAL_STACK_PORT}`,
  clientId: 'local-extension',
  audience: '',
  identityPoolId: LOCAL_IDENTITY_POOL_ID,
  tableName: 'ExtensionDatasets',
  datasetName: 'MainDataset',
  syncIntervalMinutes: 15,
  conflictStrategy: 'lastWriterWins',
  cognitoIdentityEndpoint: `http://127.0.0.1:${LOCAL_STACK_PORT}/cognito-identity`,
  dynamodbEndpoint: `http://127.0.0.1:${LOCAL_STACK_PORT}/dynamodb`,
  // The basic flow stays off (no role ARN); STS is where the stack serves it, for when a role is entered.
  roleArn: '',
  accountId: '',
  stsEndpoint: `http://127.0.0.1:${LOCAL_STACK_PORT}/sts`,
  // Off: the development build takes the stack's loopback endpoints as they are (a release build would ask for it).
  customEndpoints: false,
  syncBackend: 'dynamodb',
  cognitoSyncEndpoint: `http://127.0.0.1:${LOCAL_STACK_PORT}/cognito-sync`,
});
