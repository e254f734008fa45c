-- Secrets at rest are sealed with AES-256-GCM by the app (lib/crypto/secret-box.mjs),
-- which SQL cannot do: this migration only marks every value written before encryption
-- as plain text ("plain:" + the value), and the app seals the marked values at start-up
-- (lib/boot/seal-secrets.ts) before it serves. The mark makes the old values
-- unambiguous: a secret that happened to look like a sealed value ("enc:v1:…") is still
-- sealed as the text it is.

UPDATE "InboundSource" SET "verificationSecret" = 'plain:' || "verificationSecret" WHERE "verificationSecret" IS NOT NULL;
UPDATE "Target" SET "authSecret" = 'plain:' || "authSecret" WHERE "authSecret" IS NOT NULL;
UPDATE "Target" SET "signingSecret" = 'plain:' || "signingSecret" WHERE "signingSecret" IS NOT NULL;
UPDATE "OrgSecret" SET "value" = 'plain:' || "value";
