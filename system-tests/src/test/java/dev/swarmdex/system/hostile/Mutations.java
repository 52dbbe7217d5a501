package dev.swarmdex.system.hostile;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The values hostile requests are made of, and jqwik's generators of {@link Mutation}s over them:
 * JSON field drops, type swaps, huge values, unicode, lone surrogates, deep nesting; path segments;
 * query values; methods; headers such as Range, Content-Length, Content-Type, Authorization, the
 * admin cookie and CSRF token.
 */
final class Mutations {
  private Mutations() {}

  /** JSON values a field may be swapped for, as raw JSON text. */
  static final List<String> JSON_VALUES =
      List.of(
          "null",
          "true",
          "0",
          "-1",
          "1.5",
          "1e308",
          "-1e308",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775809",
          "2147483648",
          "1234567890123456789012345678901234567890",
          "\"\"",
          "\"   \"",
          "\"x\"",
          "\"" + "a".repeat(300) + "\"",
          "\"" + "a".repeat(70_000) + "\"",
          "[]",
          "{}",
          "[null]",
          "[1,2]",
          "{\"a\":1}",
          "\"\u00e9t\u00e9\"",
          "\"\ud834\udd1e clef\"",
          "\"\\u202e3pm.exe\"",
          "\"a\\u0000b\"",
          "\"bell\\u0007\"",
          "\"zero\\u200bwidth\"",
          "\"\u540d\u524d\"",
          "\"e\u0301\"",
          "\"\\uffff\"",
          "\"\\ufeffbom\"",
          "\"\ud83d\udc4d\ud83c\udffd\"",
          "\"\\ud800\"",
          "\"a\\udfffb\"",
          "\"a" + Mutation.LONE + "b\"",
          "\"a" + Mutation.FF + "b\"",
          "[".repeat(17) + "]".repeat(17),
          "[".repeat(5000) + "]".repeat(5000),
          "{\"a\":".repeat(100) + "1" + "}".repeat(100),
          "\"../../etc/passwd\"",
          "\"a/b\"",
          "\"C:\\\\x\"",
          "\"<script>alert(1)</script>\"",
          "\"' OR 1=1 --\"",
          "\"127.0.0.1\"",
          "\"http://127.0.0.1:1/push/x\"",
          "\"http://203.0.113.9:80/x\"",
          "\"" + "0".repeat(64) + "\"",
          "\"" + "G".repeat(64) + "\"",
          "\"{sha}\"",
          "\"{otherPeer}\"",
          "\"{otherToken}\"",
          "[" + "1,".repeat(10_000) + "1]");

  /** Raw path segments. */
  static final List<String> SEGMENTS =
      List.of(
          "",
          ".",
          "..",
          "%2e%2e",
          "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
          "..%2F..%2Fetc%2Fpasswd",
          "%00",
          "%ZZ",
          "%",
          "%ED%A0%80",
          "%F0%9F%91%8D",
          "%C3%A9",
          "a%2Fb",
          "x".repeat(300),
          "x".repeat(9000),
          "0".repeat(64),
          "F".repeat(64),
          "G".repeat(64),
          "0".repeat(63),
          "0".repeat(65),
          "%20",
          ";x=1",
          "~",
          "*",
          "-1",
          "99999999999999999999",
          "null",
          "\u00e9",
          "a b",
          "{otherPeer}",
          "{sha}",
          "chunks",
          "admin",
          "index",
          "index.html",
          "WEB-INF");

  /** Raw query values. */
  static final List<String> QUERY_VALUES =
      List.of(
          "",
          "-1",
          "0",
          "1",
          "3",
          "8",
          "201",
          "10001",
          "2147483648",
          "99999999999999999999",
          "abc",
          "1.5",
          "%ZZ",
          "%00",
          "%ED%A0%80",
          "%C3%A9",
          "%F0%9F%91%8D",
          "x".repeat(300),
          "word+".repeat(20),
          "searchable",
          "accepted",
          "audio",
          "nope",
          "a&b=c",
          "a+b",
          "foo+AND+(",
          "*:*",
          "\u00e9");

  static final List<String> METHODS =
      List.of(
          "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "FOO",
          "get", "");

  static final List<String> RANGES =
      List.of(
          "bytes=0-0",
          "bytes=0-",
          "bytes=-1",
          "bytes=-0",
          "bytes=5-1",
          "bytes=0-99999999999999999999",
          "bytes=99999999999-",
          "bytes=a-b",
          "items=0-1",
          "bytes=0-0,2-2,4-4",
          "bytes=" + "0-0,".repeat(200) + "1-1",
          "",
          "bytes=1-1,1-1",
          "bytes=-99999999999",
          "bytes=\u00e9");

  static final List<String> CONTENT_LENGTHS =
      List.of("0", "1", "-1", "abc", "99999999999999999999", "4194305", "5000000", " 5", "1, 1");

  static final List<String> CONTENT_TYPES =
      List.of(
          "application/json",
          "text/plain",
          "application/json; charset=ISO-8859-1",
          "application/json; charset=utf-16",
          "multipart/form-data; boundary=x",
          "application/x-www-form-urlencoded",
          "",
          "\u00e9/\u00e9");

  static final List<String> AUTHORIZATIONS =
      List.of(
          "Bearer",
          "Bearer ",
          "Bearer x",
          "Bearer {otherToken}",
          "bearer {otherToken}",
          "Basic YWRtaW46YWRtaW4=",
          "Bearer " + "x".repeat(300),
          "Bearer \u00e9",
          "Bearer " + Mutation.FF);

  static final List<String> COOKIES =
      List.of(
          "swarmdex_admin=",
          "swarmdex_admin=x",
          "swarmdex_admin=" + "a".repeat(5000),
          "swarmdex_admin={session}; swarmdex_admin=x",
          "swarmdex_admin=x; swarmdex_admin={session}",
          "swarmdex_admin=\"{session}\"",
          "a=b",
          "swarmdex_admin={session}" + Mutation.FF);

  static final List<String> CSRF =
      List.of("", "x", "{csrf}x", "{csrf} ", " {csrf}", "{otherToken}");

  /** Other headers: name and value. */
  static final List<List<String>> OTHER_HEADERS =
      List.of(
          List.of("Transfer-Encoding", "chunked"),
          List.of("Transfer-Encoding", "gzip"),
          List.of("Transfer-Encoding", "chunked, chunked"),
          List.of("If-None-Match", "*"),
          List.of("If-None-Match", "\"{sha}\""),
          List.of("If-Range", "\"x\""),
          List.of("If-Range", "Wed, 21 Oct 2015 07:28:00 GMT"),
          List.of("If-Modified-Since", "garbage"),
          List.of("If-Modified-Since", "Wed, 21 Oct 2099 07:28:00 GMT"),
          List.of("Expect", "100-continue"),
          List.of("Expect", "nonsense"),
          List.of("Host", ""),
          List.of("Host", "x".repeat(300)),
          List.of("Host", "[::1"),
          List.of("X-Swarmdex-Peer", "{otherPeer}"),
          List.of("X-Swarmdex-Peer", "x".repeat(300)),
          List.of("X-Swarmdex-Peer", "\u00e9"),
          List.of("X-Forwarded-For", "203.0.113.1"),
          List.of("Accept-Encoding", "gzip, br, *"),
          List.of("Connection", "keep-alive"),
          List.of("Connection", "Upgrade"),
          List.of("Upgrade", "h2c"),
          List.of("Upgrade", "websocket"),
          List.of("X-Fuzz", "v".repeat(9000)),
          List.of("X-Fuzz", "\u00e9" + Mutation.FF),
          List.of("X-Fuzz", Mutation.LONE));

  /** Any single mutation. */
  static Arbitrary<Mutation> any() {
    Arbitrary<Integer> index = Arbitraries.integers().between(0, 63);
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.of(METHODS).map(Mutation.Method::new)),
        Tuple.of(5, headers()),
        Tuple.of(3, Combinators.combine(index, Arbitraries.of(SEGMENTS)).as(Mutation.Segment::new)),
        Tuple.of(1, Arbitraries.of(SEGMENTS).map(Mutation.AppendSegment::new)),
        Tuple.of(
            2,
            Combinators.combine(
                    index,
                    Arbitraries.of("limit", "offset", "wait", "q", "ttl", "type", "fuzz"),
                    Arbitraries.of(QUERY_VALUES),
                    Arbitraries.of(false, true))
                .as(Mutation.QueryValue::new)),
        Tuple.of(
            6,
            Combinators.combine(index, Arbitraries.of(JSON_VALUES)).as(Mutation.JsonReplace::new)),
        Tuple.of(3, index.map(Mutation.JsonDrop::new)),
        Tuple.of(
            1,
            Combinators.combine(
                    Arbitraries.of("unknown", "name", "files", "token", "\u00e9"),
                    Arbitraries.of(JSON_VALUES))
                .as(Mutation.JsonAddField::new)),
        Tuple.of(1, Arbitraries.integers().between(0, 99).map(Mutation.Truncate::new)),
        Tuple.of(
            1,
            Combinators.combine(
                    Arbitraries.integers().between(0, 10_000),
                    Arbitraries.of(0x00, 0x22, 0x5c, 0x7b, 0x7d, 0x80, 0xc3, 0xed, 0xff))
                .as(Mutation.FlipByte::new)),
        Tuple.of(
            1,
            Arbitraries.of(
                    "",
                    "null",
                    "[]",
                    "\"x\"",
                    "{",
                    "{}",
                    "{}{}",
                    "{\"a\":1,\"a\":2}",
                    Mutation.FF + Mutation.FF,
                    "x".repeat(4 * 1024 * 1024 + 1),
                    "<?xml version=\"1.0\"?><x/>")
                .map(Mutation.ReplaceBody::new)));
  }

  private static Arbitrary<Mutation> headers() {
    List<Arbitrary<Mutation>> choices = new ArrayList<>();
    choices.add(set("Range", RANGES));
    choices.add(set("Content-Length", CONTENT_LENGTHS));
    choices.add(set("Content-Type", CONTENT_TYPES));
    choices.add(set("Authorization", AUTHORIZATIONS));
    choices.add(Arbitraries.just(new Mutation.SetHeader("Authorization", null)));
    choices.add(set("Cookie", COOKIES));
    choices.add(Arbitraries.just(new Mutation.SetHeader("Cookie", null)));
    choices.add(set("X-CSRF-Token", CSRF));
    choices.add(Arbitraries.just(new Mutation.SetHeader("X-CSRF-Token", null)));
    choices.add(Arbitraries.of(OTHER_HEADERS).map(h -> new Mutation.AddHeader(h.get(0), h.get(1))));
    choices.add(
        Arbitraries.of(AUTHORIZATIONS).map(v -> new Mutation.AddHeader("Authorization", v)));
    choices.add(
        Arbitraries.of(CONTENT_LENGTHS).map(v -> new Mutation.AddHeader("Content-Length", v)));
    return Arbitraries.oneOf(choices);
  }

  /** A missing, wrong or borrowed admin cookie or CSRF token. */
  static Arbitrary<Mutation> adminCredentials() {
    return Arbitraries.oneOf(
        set("Cookie", COOKIES),
        Arbitraries.just(new Mutation.SetHeader("Cookie", null)),
        set("X-CSRF-Token", CSRF),
        Arbitraries.just(new Mutation.SetHeader("X-CSRF-Token", null)));
  }

  private static Arbitrary<Mutation> set(String name, List<String> values) {
    return Arbitraries.of(values).map(value -> new Mutation.SetHeader(name, value));
  }

  /** Zero to three mutations, applied in order. */
  static Arbitrary<List<Mutation>> some() {
    return any().list().ofMinSize(0).ofMaxSize(3);
  }
}
