import { describe, expect, it } from 'vitest';
import { formatConnectionUrl, parseConnectionUrl } from '../../shared/connection-url.ts';

describe('parseConnectionUrl', () => {
  it('reads a full PostgreSQL URL', () => {
    expect(parseConnectionUrl('postgres://app:s3cret@db.local:6543/shop?sslmode=verify-full&sslrootcert=/etc/ca.pem')).toEqual({
      engine: 'postgres',
      host: 'db.local',
      port: 6543,
      user: 'app',
      password: 's3cret',
      database: 'shop',
      sslMode: 'verify-full',
      sslRootCert: '/etc/ca.pem',
    });
  });

  it('refuses an option it does not support, by name, instead of keeping it silently', () => {
    expect(() => parseConnectionUrl('postgres://u@h/d?application_name=x&sslmode=require')).toThrow(/"application_name" is not supported/);
    expect(() => parseConnectionUrl('mysql://u@h/d?charset=utf8&timezone=Z')).toThrow(/"charset", "timezone" are not supported/);
  });

  it.each([
    ['postgresql://u@h/d', 'postgres', 5432],
    ['mysql://u@h/d', 'mysql', 3306],
    ['mariadb://u@h/d', 'mysql', 3306],
    ['MySQL://u@h:3307/d', 'mysql', 3307],
    ['jdbc:postgresql://u@h/d', 'postgres', 5432],
  ])('%s is %s on port %i', (url, engine, port) => {
    expect(parseConnectionUrl(url)).toMatchObject({ engine, port, host: 'h', user: 'u', database: 'd' });
  });

  it('decodes escaped user names and passwords, including @ : / and unicode', () => {
    const parsed = parseConnectionUrl('postgres://us%40er:p%3Aa%2Fss%40w%C3%B6rd@localhost/db');
    expect(parsed.user).toBe('us@er');
    expect(parsed.password).toBe('p:a/ss@wörd');
  });

  it('takes the last @ as the end of the credentials', () => {
    expect(parseConnectionUrl('mysql://root:p@ss@127.0.0.1/app')).toMatchObject({ user: 'root', password: 'p@ss', host: '127.0.0.1' });
  });

  it('reads IPv6 hosts', () => {
    expect(parseConnectionUrl('postgres://u@[::1]:5433/d')).toMatchObject({ host: '::1', port: 5433 });
  });

  it('defaults the user per engine, the port and an empty database', () => {
    expect(parseConnectionUrl('postgres://localhost')).toMatchObject({ user: 'postgres', port: 5432, database: '', sslMode: 'prefer' });
    expect(parseConnectionUrl('mysql://localhost/')).toMatchObject({ user: 'root', port: 3306, database: '' });
  });

  it('maps MySQL-style ssl parameters', () => {
    expect(parseConnectionUrl('mysql://h/d?ssl-mode=REQUIRED').sslMode).toBe('require');
    expect(parseConnectionUrl('mysql://h/d?ssl=true').sslMode).toBe('require');
    expect(parseConnectionUrl('postgres://h/d?sslmode=disable').sslMode).toBe('disable');
  });

  it('reads libpq-style parameters', () => {
    expect(parseConnectionUrl('postgres:///d?host=db&port=7000&user=me&password=pw')).toMatchObject({ host: 'db', port: 7000, user: 'me', password: 'pw' });
  });

  it.each([
    ['', /empty/],
    ['localhost:5432/db', /must start with a scheme/],
    ['postgress://localhost/db', /scheme "postgress:\/\/" is not supported/],
    ['http://localhost/db', /scheme "http:\/\/"/],
    ['postgres://localhost:99999/db', /port "99999"/],
    ['postgres://localhost:54a2/db', /port "54a2"/],
    ['postgres://user@/db', /no host/],
    ['postgres://[::1/db', /IPv6/],
    ['postgres://us%ZZer@h/db', /user name.*%-escape/],
    ['postgres://h/db?sslmode=sometimes', /sslmode value "sometimes"/],
    ['postgres://h/a/b', /contains "\/"/],
  ])('rejects %j with a message naming the wrong part', (url, message) => {
    expect(() => parseConnectionUrl(url)).toThrowError(message);
    try {
      parseConnectionUrl(url);
    } catch (error) {
      expect((error as { code: string }).code).toBe('BAD_URL');
    }
  });

  it('round-trips through formatConnectionUrl', () => {
    const url = 'postgres://a%40b:p%3Aw@db:5433/my%20db?sslmode=require';
    const parsed = parseConnectionUrl(url);
    expect(parseConnectionUrl(formatConnectionUrl(parsed, parsed.password))).toEqual(parsed);
  });
});
