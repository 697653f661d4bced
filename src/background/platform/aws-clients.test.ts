import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createAwsClients } from './aws-clients';

function clients() {
  const built: string[] = [];
  const aws = createAwsClients({
    cognitoIdentity: (config) => new CognitoIdentityClient(config),
    dynamodb: (config) => {
      built.push(`dynamodb ${config.region}`);
      return new DynamoDBClient(config);
    },
    cognitoSync: (config) => new CognitoSyncClient(config),
  });
  return { aws, built };
}

const answer = async () => ({ accessKeyId: 'AKID', secretAccessKey: 'secret' });
const config = (identityId: string) => ({
  region: 'eu-west-1',
  endpoint: 'https://dynamodb.eu-west-1.amazonaws.com',
  credentials: answer,
  identityId,
});

describe('the worker’s AWS clients', () => {
  it('keeps one signed client per identity: a sync of the person before never lends its client to the next', () => {
    const { aws, built } = clients();
    const alice = aws.dynamodb(config('eu-west-1:alice'));
    expect(aws.dynamodb(config('eu-west-1:alice'))).toBe(alice);
    const bob = aws.dynamodb(config('eu-west-1:bob'));
    expect(bob).not.toBe(alice);
    expect(built).toEqual(['dynamodb eu-west-1', 'dynamodb eu-west-1']);
    aws.forget();
    expect(aws.dynamodb(config('eu-west-1:bob'))).not.toBe(bob);
  });
});
