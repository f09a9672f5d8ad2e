// The domain's types, as the layers above the graph name them: a user, its id and state, the
// relation between two users, the four graphs and their directions. The storage port stores
// them; HTTP and the wire see them only through here.
export type { Direction, GraphKind, ProfileTheme, Relation, UserId, UserRow, UserState } from '../store/types.js';
export { GRAPH_KINDS, NO_RELATION } from '../store/types.js';
export { MAX_SEARCH_TERMS, searchTerms } from '../store/search-scan.js';
