export declare const LOCAL_STACK_PORT: number;
export declare const LOCAL_IDENTITY_POOL_ID: string;
export declare const LOCAL_STACK_SETTINGS: Readonly<{
  domain: string;
  clientId: string;
  audience: string;
  identityPoolId: string;
  tableName: string;
  datasetName: string;
  syncIntervalMinutes: number;
  conflictStrategy: 'lastWriterWins';
  cognitoIdentityEndpoint: string;
  dynamodbEndpoint: string;
}>;
