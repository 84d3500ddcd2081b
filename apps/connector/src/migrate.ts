import 'reflect-metadata';
import { runMigrationCli } from '@obc/persistence';
import { connectorMigrations } from './migrations';

// `npm run migration:run` and the image's migrations Job: apply pending migrations, then exit.
void runMigrationCli(connectorMigrations);
