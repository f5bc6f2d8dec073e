// Parse WebVTT files with the W3C's webvtt-parser, the strictest validator there is, and print
// one JSON object per file: its parse errors and its cues (times, voice, plain text).
// Usage: node validate_vtt.js FILE...
"use strict";
const fs = require("fs");
const { WebVTTParser } = require("webvtt-parser");
// the full HTML entity table gives the spec's behaviour (the default subset mis-reads "&amp;")
const entities = require("webvtt-parser/html-entities.json");

function plain(node) {
  if (node.type === "text") return node.value;
  return (node.children || []).map(plain).join("");
}

function voices(node, out) {
  if (node.name === "v") out.push(node.value);
  (node.children || []).forEach((child) => voices(child, out));
  return out;
}

const results = {};
for (const file of process.argv.slice(2)) {
  const tree = new WebVTTParser(entities).parse(fs.readFileSync(file, "utf8"), "subtitles");
  results[file] = {
    errors: tree.errors,
    cues: tree.cues.map((cue) => ({
      start: cue.startTime,
      end: cue.endTime,
      text: plain(cue.tree),
      voices: voices(cue.tree, []),
    })),
  };
}
process.stdout.write(JSON.stringify(results));
