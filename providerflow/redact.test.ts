import { describe, expect, test } from "vitest";
import { redactRequestHeaders, secretRedactor } from "./redact";

describe("secretRedactor", () => {
  test("strings equal to a secret, and long secrets inside strings, keys included", () => {
    const redact = secretRedactor(["tok-1234567890", "abc", ""]);
    expect(
      redact({
        a: "tok-1234567890",
        b: "Bearer tok-1234567890",
        c: "abc",
        d: "xabcx",
        e: ["abc", 1, null],
        "tok-1234567890": true,
      }),
    ).toEqual({
      a: "[redacted]",
      b: "Bearer [redacted]",
      c: "[redacted]",
      d: "xabcx",
      e: ["[redacted]", 1, null],
      "[redacted]": true,
    });
  });

  test("the longest secret wins where one contains another; no secrets: the value itself", () => {
    expect(secretRedactor(["secret-value", "secret-value-long"])("x secret-value-long y")).toBe("x [redacted] y");
    const value = { a: 1 };
    expect(secretRedactor([])(value)).toBe(value);
  });
});

describe("redactRequestHeaders", () => {
  test("§9: names containing signature, authorization, cookie, plus named extras; names lower-cased", () => {
    expect(
      redactRequestHeaders(
        { "X-My-Signature": "s", Authorization: "a", Cookie: "c", "X-Api-Key": "k", "X-Token": "t", "Content-Type": "j" },
        null,
        ["X-Token"],
      ),
    ).toEqual({
      "x-my-signature": "[redacted]",
      authorization: "[redacted]",
      cookie: "[redacted]",
      "x-api-key": "[redacted]",
      "x-token": "[redacted]",
      "content-type": "j",
    });
  });
});
