export { IdentityModule } from './identity.module';
export { identityMigrations } from './infra/migrations';
