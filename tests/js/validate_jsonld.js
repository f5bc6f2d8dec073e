// Turn JSON-LD files into RDF with jsonld.js (the reference JSON-LD processor) in safe mode,
// which fails on any term, value or @id it would drop; print one JSON object per file with the
// number of quads or the error. schema.org's context is served from a file: no network.
// Usage: node validate_jsonld.js CONTEXT_FILE FILE...
"use strict";
const fs = require("fs");
const jsonld = require("jsonld");

const [contextFile, ...files] = process.argv.slice(2);
const context = JSON.parse(fs.readFileSync(contextFile, "utf8"));
const schemaOrg = new Set(["https://schema.org", "http://schema.org"]);

async function documentLoader(url) {
  if (!schemaOrg.has(url.replace(/\/$/, ""))) throw new Error(`refusing to fetch ${url}`);
  return { contextUrl: null, documentUrl: url, document: context };
}

async function main() {
  const results = {};
  for (const file of files) {
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    try {
      const quads = await jsonld.toRDF(doc, { documentLoader, safe: true });
      results[file] = { quads: quads.length, error: null };
    } catch (err) {
      results[file] = { quads: 0, error: String(err.message || err) };
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main();
