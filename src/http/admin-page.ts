export { adminPage } from './admin/routes'
