import { CreateIdentity1763800005000 } from './1763800005000-create-identity';

export const identityMigrations = [CreateIdentity1763800005000];
