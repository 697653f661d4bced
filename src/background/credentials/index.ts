// What the rest of the worker uses: an AWS identity with a credential provider, and the remembered id.
export { awsIdentity, currentCredentials, type AwsIdentity } from './provider';
export { rememberedIdentityId } from '../auth/identity-ids';
