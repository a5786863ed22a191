import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IndicatorError, type Indicator } from './indicator.types.js';
import { normalize } from './normalize.js';
import { canonicalizeUrl, lookupExpressions } from './url.js';

/** Normalizes a URL, checks canonical and key, and that normalizing the canonical form again changes nothing. */
function url(input: string, canonical: string): Indicator {
  const first = normalize('url', input);
  assert.equal(first.kind, 'url');
  assert.equal(first.canonical, canonical, `canonical of ${JSON.stringify(input)}`);
  assert.equal(first.key, `url:${canonical}`);
  const again = normalize('url', first.canonical);
  assert.equal(again.canonical, first.canonical, `canonical of ${JSON.stringify(input)} is not stable`);
  assert.equal(again.key, first.key);
  return first;
}

function rejects(input: string, reason: string): void {
  assert.throws(
    () => normalize('url', input),
    (error: unknown) => {
      assert.ok(error instanceof IndicatorError, `expected an IndicatorError for ${JSON.stringify(input)}`);
      assert.equal(error.code, 'INVALID_URL');
      assert.equal(error.reason, reason);
      return true;
    },
  );
}

function expressionsOf(input: string): string[] {
  return lookupExpressions(canonicalizeUrl(input));
}

describe('url: Safe Browsing v4 canonicalization test vectors', () => {
  // Every vector of the "Canonicalization" section of developers.google.com/safe-browsing/v4/urls-hashing.
  // The one change: this project encodes the JS character U+0080 as UTF-8, so `\x80` becomes %C2%80.
  const vectors: ReadonlyArray<readonly [string, string]> = [
    ['http://host/%25%32%35', 'http://host/%25'],
    ['http://host/%25%32%35%25%32%35', 'http://host/%25%25'],
    ['http://host/%2525252525252525', 'http://host/%25'],
    ['http://host/asdf%25%32%35asd', 'http://host/asdf%25asd'],
    ['http://host/%%%25%32%35asd%%', 'http://host/%25%25%25asd%25%25'],
    ['http://www.google.com/', 'http://www.google.com/'],
    [
      'http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65%62%61%79%2E%63%6F%6D/',
      'http://168.188.99.26/.secure/www.ebay.com/',
    ],
    [
      'http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/',
      'http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/',
    ],
    [
      'http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B',
      'http://host%23.com/~a!b@c%23d$e%25f^00&11*22(33)44_55+',
    ],
    ['http://3279880203/blah', 'http://195.127.0.11/blah'],
    ['http://www.google.com/blah/..', 'http://www.google.com/'],
    ['www.google.com/', 'http://www.google.com/'],
    ['www.google.com', 'http://www.google.com/'],
    ['http://www.evil.com/blah#frag', 'http://www.evil.com/blah'],
    ['http://www.GOOgle.com/', 'http://www.google.com/'],
    ['http://www.google.com.../', 'http://www.google.com/'],
    ['http://www.google.com/foo\tbar\rbaz\n2', 'http://www.google.com/foobarbaz2'],
    ['http://www.google.com/q?', 'http://www.google.com/q?'],
    ['http://www.google.com/q?r?', 'http://www.google.com/q?r?'],
    ['http://www.google.com/q?r?s', 'http://www.google.com/q?r?s'],
    ['http://evil.com/foo#bar#baz', 'http://evil.com/foo'],
    ['http://evil.com/foo;', 'http://evil.com/foo;'],
    ['http://evil.com/foo?bar;', 'http://evil.com/foo?bar;'],
    ['http://\x01\x80.com/', 'http://%01%C2%80.com/'],
    ['http://notrailingslash.com', 'http://notrailingslash.com/'],
    ['http://www.gotaport.com:1234/', 'http://www.gotaport.com/'],
    ['  http://www.google.com/  ', 'http://www.google.com/'],
    ['http:// leadingspace.com/', 'http://%20leadingspace.com/'],
    ['http://%20leadingspace.com/', 'http://%20leadingspace.com/'],
    ['%20leadingspace.com/', 'http://%20leadingspace.com/'],
    ['https://www.securesite.com/', 'https://www.securesite.com/'],
    ['http://host.com/ab%23cd', 'http://host.com/ab%23cd'],
    ['http://host.com//twoslashes?more//slashes', 'http://host.com/twoslashes?more//slashes'],
  ];

  it('has all 33 vectors of the document', () => {
    assert.equal(vectors.length, 33);
  });

  for (const [input, expected] of vectors) {
    it(`canonicalizeUrl(${JSON.stringify(input)}) = ${expected}`, () => {
      assert.equal(canonicalizeUrl(input).canonical, expected);
    });
    it(`normalize('url', ${JSON.stringify(input)}) = ${expected}, stable when normalized again`, () => {
      url(input, expected);
    });
  }

  it('splits the canonical URL into its parts', () => {
    assert.deepEqual(canonicalizeUrl('http://www.gotaport.com:1234/a/./b/../c?x=1#frag'), {
      scheme: 'http',
      host: 'www.gotaport.com',
      port: 1234,
      path: '/a/c',
      query: 'x=1',
      isIp: false,
      canonical: 'http://www.gotaport.com/a/c?x=1',
    });
    const ip = canonicalizeUrl('http://3279880203/blah');
    assert.equal(ip.isIp, true);
    assert.equal(ip.host, '195.127.0.11');
    assert.equal(ip.query, null);
    assert.equal(canonicalizeUrl('http://www.google.com/q?').query, '');
  });

  it('normalizes IPv4 hosts in octal, hex and short forms and IPv6 hosts in brackets', () => {
    assert.equal(url('http://0x7f.1/', 'http://127.0.0.1/').details.isIp, true);
    url('http://017700000001/', 'http://127.0.0.1/');
    url('http://0x7f000001/', 'http://127.0.0.1/');
    const v6 = url('http://[2001:DB8:0:0::1]:8080/x', 'http://[2001:db8::1]/x');
    assert.equal(v6.details.host, '[2001:db8::1]');
    assert.equal(v6.details.port, 8080);
    assert.equal(v6.details.isIp, true);
  });

  it('reads backslashes as slashes, as browsers do for web schemes', () => {
    url('http://evil.com\\a\\b', 'http://evil.com/a/b');
    assert.equal(url('http://evil.com\\@good.com/', 'http://evil.com/@good.com/').details.host, 'evil.com');
  });

  it('undoes defanging and shows the link defanged', () => {
    const link = url('hxxps://evil[.]com/a/../b#x', 'https://evil.com/b');
    assert.equal(link.display, 'hxxps://evil[.]com/b');
    url('HTTPS://EVIL.COM/A', 'https://evil.com/A');
  });
});

describe('url: lookup expressions (Safe Browsing "Suffix/Prefix Expressions")', () => {
  it('http://a.b.c/1/2.html?param=1 gives the 8 expressions of the document', () => {
    const expressions = expressionsOf('http://a.b.c/1/2.html?param=1');
    assert.deepEqual(expressions, [
      'a.b.c/',
      'a.b.c/1/',
      'a.b.c/1/2.html',
      'a.b.c/1/2.html?param=1',
      'b.c/',
      'b.c/1/',
      'b.c/1/2.html',
      'b.c/1/2.html?param=1',
    ]);
    // The same set as the document lists (in its own order).
    const documented = [
      'a.b.c/1/2.html?param=1',
      'a.b.c/1/2.html',
      'a.b.c/',
      'a.b.c/1/',
      'b.c/1/2.html?param=1',
      'b.c/1/2.html',
      'b.c/',
      'b.c/1/',
    ];
    assert.deepEqual([...expressions].sort(), [...documented].sort());
  });

  it('http://a.b.c.d.e.f.g/1.html skips b.c.d.e.f.g (only the last five components are used)', () => {
    const expressions = expressionsOf('http://a.b.c.d.e.f.g/1.html');
    assert.deepEqual(expressions, [
      'a.b.c.d.e.f.g/',
      'a.b.c.d.e.f.g/1.html',
      'c.d.e.f.g/',
      'c.d.e.f.g/1.html',
      'd.e.f.g/',
      'd.e.f.g/1.html',
      'e.f.g/',
      'e.f.g/1.html',
      'f.g/',
      'f.g/1.html',
    ]);
    assert.ok(!expressions.some((e) => e.startsWith('b.c.d.e.f.g/')));
  });

  it('http://1.2.3.4/1/ gives no host suffixes for an IP address', () => {
    assert.deepEqual(expressionsOf('http://1.2.3.4/1/'), ['1.2.3.4/', '1.2.3.4/1/']);
  });

  it('never uses the bare top-level domain', () => {
    assert.deepEqual(expressionsOf('http://a.b/'), ['a.b/']);
    assert.deepEqual(expressionsOf('http://host?x'), ['host/', 'host/?x']);
  });

  it('uses at most 5 hosts and 6 paths', () => {
    const expressions = expressionsOf('http://a.b.c.d.e.f.g.h/1/2/3/4/5?q');
    const hosts = ['a.b.c.d.e.f.g.h', 'd.e.f.g.h', 'e.f.g.h', 'f.g.h', 'g.h'];
    const paths = ['/', '/1/', '/1/2/', '/1/2/3/', '/1/2/3/4/5', '/1/2/3/4/5?q'];
    assert.equal(expressions.length, 30);
    assert.deepEqual(
      expressions,
      hosts.flatMap((host) => paths.map((path) => host + path)),
    );
  });

  it('keeps 4 directory prefixes at most, and the full path without a duplicate', () => {
    assert.deepEqual(expressionsOf('http://a.b/1/2/3/4/5/6.html?x=1'), [
      'a.b/',
      'a.b/1/',
      'a.b/1/2/',
      'a.b/1/2/3/',
      'a.b/1/2/3/4/5/6.html',
      'a.b/1/2/3/4/5/6.html?x=1',
    ]);
    assert.deepEqual(expressionsOf('http://a.b/1/2/'), ['a.b/', 'a.b/1/', 'a.b/1/2/']);
  });

  it('are what normalize reports in details.lookupExpressions', () => {
    const input = 'http://a.b.c/1/2.html?param=1';
    assert.deepEqual(normalize('url', input).details.lookupExpressions, expressionsOf(input));
  });
});

describe('url: user-info is dropped before unescaping (deliberate departure)', () => {
  it('https://www.visa.co.jp%2f@evil.shop/x names the host the browser visits, evil.shop', () => {
    const link = url('https://www.visa.co.jp%2f@evil.shop/x', 'https://evil.shop/x');
    assert.equal(link.details.host, 'evil.shop');
    assert.equal(link.details.registrableDomain, 'evil.shop');
    assert.deepEqual(link.details.lookupExpressions, ['evil.shop/', 'evil.shop/x']);
  });

  it('drops plain user-info and passwords too', () => {
    url('https://www.visa.co.jp@evil.shop/x', 'https://evil.shop/x');
    url('https://user:pass@evil.shop/x', 'https://evil.shop/x');
    assert.equal(url('http://a@b@c.com/', 'http://c.com/').details.host, 'c.com');
  });

  it('keeps the real host when the user-info imitates another one', () => {
    assert.equal(url('https://evil.shop%2f@www.visa.co.jp/x', 'https://www.visa.co.jp/x').details.host, 'www.visa.co.jp');
  });

  it('does not read an @ in the query or path as user-info', () => {
    assert.equal(url('http://evil.com?@good.com/', 'http://evil.com/?@good.com/').details.host, 'evil.com');
    assert.equal(url('http://evil.com/a@good.com', 'http://evil.com/a@good.com').details.host, 'evil.com');
  });
});

describe('url: internationalized hosts', () => {
  it('converts an IDN host to punycode and reports its Unicode form', () => {
    const link = url('http://bücher.example/a', 'http://xn--bcher-kva.example/a');
    assert.equal(link.details.host, 'xn--bcher-kva.example');
    assert.equal(link.details.unicodeHost, 'bücher.example');
  });

  it('maps case in IDN hosts and accepts the host already in punycode', () => {
    url('http://BÜCHER.example/', 'http://xn--bcher-kva.example/');
    assert.equal(url('http://xn--bcher-kva.example/', 'http://xn--bcher-kva.example/').details.unicodeHost, 'bücher.example');
    url('http://b%C3%BCcher.example/', 'http://xn--bcher-kva.example/');
  });

  it('encodes a homograph with a Cyrillic letter, keeping it apart from the Latin name', () => {
    const link = url('https://\u0430pple.com/', 'https://xn--pple-43d.com/');
    assert.equal(link.details.unicodeHost, '\u0430pple.com');
    assert.notEqual(link.key, normalize('url', 'https://apple.com/').key);
  });

  it('uses non-transitional IDNA, as browsers do: faß.de is not fass.de', () => {
    assert.equal(url('http://faß.de/', 'http://xn--fa-hia.de/').details.unicodeHost, 'faß.de');
  });

  it('gives no Unicode host for an ASCII host', () => {
    assert.equal(url('https://evil.com/', 'https://evil.com/').details.unicodeHost, null);
  });

  it('percent-escapes non-ASCII path bytes as UTF-8, the same as the escaped form', () => {
    url('http://host/€', 'http://host/%E2%82%AC');
    url('http://host/%E2%82%AC', 'http://host/%E2%82%AC');
  });
});

describe('url: registrable domain and public suffix (PSL private section included)', () => {
  it('x.vercel.app is its own registrable domain', () => {
    const link = url('https://x.vercel.app/login', 'https://x.vercel.app/login');
    assert.equal(link.details.registrableDomain, 'x.vercel.app');
    assert.equal(link.details.publicSuffix, 'vercel.app');
    assert.equal(url('https://a.b.x.vercel.app/', 'https://a.b.x.vercel.app/').details.registrableDomain, 'x.vercel.app');
  });

  it('uses multi-label ICANN suffixes', () => {
    const link = url('https://www.example.co.uk/', 'https://www.example.co.uk/');
    assert.equal(link.details.registrableDomain, 'example.co.uk');
    assert.equal(link.details.publicSuffix, 'co.uk');
  });

  it('has none for an IP address', () => {
    const link = url('https://192.168.1.1:8080/a', 'https://192.168.1.1/a');
    assert.equal(link.details.registrableDomain, null);
    assert.equal(link.details.publicSuffix, null);
    assert.equal(link.details.port, 8080);
  });
});

describe('url: schemes, hosts and ports', () => {
  it('accepts the web schemes', () => {
    assert.equal(url('ftp://files.evil.com/a', 'ftp://files.evil.com/a').details.scheme, 'ftp');
    assert.equal(url('ws://a.evil.com/', 'ws://a.evil.com/').details.scheme, 'ws');
    assert.equal(url('HTTPS://evil.com', 'https://evil.com/').details.scheme, 'https');
  });

  it('rejects mailto:, javascript: and other non-web schemes with UNSUPPORTED_SCHEME', () => {
    rejects('mailto:a@b.com', 'UNSUPPORTED_SCHEME');
    rejects('javascript:alert(1)', 'UNSUPPORTED_SCHEME');
    rejects('javascript://alert(1)', 'UNSUPPORTED_SCHEME');
    rejects('data:text/html,hi', 'UNSUPPORTED_SCHEME');
    rejects('file:///etc/passwd', 'UNSUPPORTED_SCHEME');
  });

  it('reads host:port without a scheme as an http link', () => {
    const link = url('evil.com:8080/x', 'http://evil.com/x');
    assert.equal(link.details.port, 8080);
    assert.equal(link.details.scheme, 'http');
  });

  it('keeps a port in range out of the canonical form, and an empty port is no port', () => {
    assert.equal(url('http://evil.com:65535/', 'http://evil.com/').details.port, 65535);
    assert.equal(url('http://evil.com:/', 'http://evil.com/').details.port, null);
    assert.equal(url('http://evil.com/', 'http://evil.com/').details.port, null);
  });

  it('rejects bad ports with BAD_PORT', () => {
    rejects('http://evil.com:99999/', 'BAD_PORT');
    rejects('http://evil.com:65536/', 'BAD_PORT');
    rejects('http://evil.com:1234567890123/', 'BAD_PORT');
    rejects('http://evil.com:abc/', 'BAD_PORT');
    rejects('http://[::1]:99999/', 'BAD_PORT');
  });

  it('rejects a link without a host with NO_HOST and a bad IPv6 literal with BAD_IPV6', () => {
    rejects('http://', 'NO_HOST');
    rejects('http://:80/', 'NO_HOST');
    rejects('http://user@/', 'NO_HOST');
    rejects('http://.../', 'NO_HOST');
    rejects('http://[zz]/x', 'BAD_IPV6');
  });

  it('canonicalizeUrl throws the same typed error', () => {
    assert.throws(
      () => canonicalizeUrl('javascript:alert(1)'),
      (error: unknown) => error instanceof IndicatorError && error.code === 'INVALID_URL' && error.reason === 'UNSUPPORTED_SCHEME',
    );
  });
});

describe('url: hostile input', () => {
  it('canonicalizes %2525… of 100k characters (linear unescaping)', () => {
    const input = 'http://host/%' + '25'.repeat(50_000);
    assert.ok(input.length > 100_000);
    assert.equal(canonicalizeUrl(input).canonical, 'http://host/%25');
  });

  it('canonicalizes 100k characters of %25 escapes that do not collapse', () => {
    const input = 'http://host/' + '%25'.repeat(33_334);
    assert.ok(input.length > 100_000);
    assert.equal(canonicalizeUrl(input).canonical, input);
  });

  it('normalize refuses a value over 64 KiB with INPUT_TOO_LONG before parsing', () => {
    assert.throws(
      () => normalize('url', 'http://host/%' + '25'.repeat(50_000)),
      (error: unknown) => error instanceof IndicatorError && error.code === 'INPUT_TOO_LONG',
    );
  });

  it('keeps invalid escapes as escaped percent signs', () => {
    url('http://evil.com/%zz', 'http://evil.com/%25zz');
    url('http://evil.com/?q=%zz', 'http://evil.com/?q=%25zz');
  });

  it('resolves escaped dot segments', () => {
    url('http://evil.com/%2e%2e/%2e%2e/x', 'http://evil.com/x');
    url('http://evil.com/a/%2e%2e%2fb', 'http://evil.com/b');
    url('http://%2e%2e.evil.com/', 'http://evil.com/');
  });
});

describe('url: dots that IDNA reveals, scheme-relative links', () => {
  it('collapses and trims ideographic and full-width full stops in the host like plain dots', () => {
    url('http://evil.com%E3%80%82/', 'http://evil.com/');
    url('http://evil%E3%80%82%E3%80%82com/', 'http://evil.com/');
    url('http://%E3%80%82evil.com/', 'http://evil.com/');
    url('http://evil%EF%BC%8Ecom/', 'http://evil.com/');
  });

  it('reads //host/path as an http link', () => {
    url('//evil.com/x', 'http://evil.com/x');
  });
});

describe('url: a colon in the host is a port or an error', () => {
  it('rejects text after the first colon that is not a port, so the canonical form always re-parses', () => {
    rejects('0wechat:https://a.aa/', 'BAD_PORT');
    url('evil.com:8080/a', 'http://evil.com/a');
    url('http://[::1]:8080/x', 'http://[::1]/x');
  });
});
