/** The runner's own table, in every database it migrates. */
export const HISTORY_TABLE = 'cabinet_migrations';
