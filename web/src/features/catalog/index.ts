/** Onboard: learned flow kinds, services and channels with schemas and notes. */
export { CatalogView } from './CatalogView';
