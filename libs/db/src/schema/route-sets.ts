// Published route sets: every routes change publishes the whole set of routes as the next
// version, which routers follow as smart clients follow the mapping (see versioned-documents.ts).
import { versionedDocumentTables } from './versioned-documents';

export const routeSetTables = versionedDocumentTables('route_set');
export const routeSetVersions = routeSetTables.versions;
export const routeSetHead = routeSetTables.head;
