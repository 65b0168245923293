/**
 * MySQL statements that can leave the session in another state than it connected in: another current
 * database (USE), variables (SET NAMES, SET autocommit = 0, SET sql_mode...), a role, an open transaction or
 * table locks, or whatever a procedure sets (CALL). Versioned comments (`/*!40101 SET ... *\/`, as mysqldump
 * writes) count too. After a migration that ran one, the runner continues on a fresh session.
 */
const MYSQL_SESSION_CHANGE = /^(?:\/\*!\d*\s*)?(?:set|use|call|lock|begin|start|xa|handler)\b/i;

export function mayChangeMysqlSession(sql: string): boolean {
  return MYSQL_SESSION_CHANGE.test(sql);
}
