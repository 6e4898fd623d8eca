import { CreateCatalog1763800000000 } from './1763800000000-create-catalog';

export const catalogMigrations = [CreateCatalog1763800000000];
