// The dataset table (docs/dataset-model.md): pk = identity id, sk = item, LSI bySync on sc.

export const TABLE_NAME = 'ExtensionDatasets';
export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';

export const CREATE_TABLE = {
  TableName: TABLE_NAME,
  AttributeDefinitions: [
    { AttributeName: PARTITION_KEY, AttributeType: 'S' },
    { AttributeName: SORT_KEY, AttributeType: 'S' },
    { AttributeName: 'sc', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
    { AttributeName: SORT_KEY, KeyType: 'RANGE' },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: 'bySync',
      KeySchema: [
        { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
        { AttributeName: 'sc', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  // The template's default caps (deploy/cloudformation.json's MaxRead/WriteRequestUnits parameters).
  OnDemandThroughput: { MaxReadRequestUnits: 200, MaxWriteRequestUnits: 50 },
};
