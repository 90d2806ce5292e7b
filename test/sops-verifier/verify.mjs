// Reads a SOPS file the way its users' tools do, with other people's implementations: the data key from
// each age stanza with age-encryption (typage), the values with sops-age, and the MAC with sops-decoder's
// walk (given the data key in place of AWS KMS). Prints {"values": {...}, "dataKeys": [...]} or fails.
// Usage: node verify.mjs FILE IDENTITY_FILE
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as age from "age-encryption";
import { decryptSops } from "sops-age";
import { parse } from "yaml";

const require = createRequire(import.meta.url);
const { KMSClient } = require("@aws-sdk/client-kms");
const sopsDecoder = require("sops-decoder");

const [file, identityFile] = process.argv.slice(2);
const text = readFileSync(file, "utf8");
const identity = readFileSync(identityFile, "utf8").split("\n").map((line) => line.trim()).find((line) => line.startsWith("AGE-SECRET-KEY-1"));
const tree = parse(text);
if (!tree.sops || !Array.isArray(tree.sops.age)) {
  throw new Error("no top-level sops block with age recipients");
}

// Every stanza this identity opens must hold the same data key.
const mine = await age.identityToRecipient(identity);
const dataKeys = [];
for (const stanza of tree.sops.age.filter((entry) => entry.recipient === mine)) {
  const decrypter = new age.Decrypter();
  decrypter.addIdentity(identity);
  dataKeys.push(Buffer.from(await decrypter.decrypt(age.armor.decode(stanza.enc), "uint8array")));
}

if (dataKeys.length === 0) {
  throw new Error(`the file has no stanza for ${mine}`);
}

const values = await decryptSops(text, { secretKey: identity, fileType: "yaml" });

// sops-decoder verifies the MAC over every value; it fetches the data key from KMS, so hand it ours.
KMSClient.prototype.send = async () => ({ Plaintext: new Uint8Array(dataKeys[0]) });
const withKms = structuredClone(tree);
withKms.sops.kms = [{ arn: "arn:aws:kms:us-east-1:000000000000:key/stand-in", enc: "c3RhbmQtaW4=" }];
const checked = await sopsDecoder.decrypt(withKms);
for (const field of ["data", "stringData"]) {
  if (JSON.stringify(checked[field]) !== JSON.stringify(values[field])) {
    throw new Error(`sops-age and sops-decoder disagree on ${field}`);
  }
}

process.stdout.write(JSON.stringify({
  values: { data: values.data ?? null, stringData: values.stringData ?? null },
  dataKeys: dataKeys.map((key) => key.toString("hex")),
}) + "\n");
