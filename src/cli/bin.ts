#!/usr/bin/env node
// First: V8's heap flag, before any module that follows runs (imports run in order).
import './heap-growth-first.js';
import { main } from './index.js';

process.exitCode = await main(process.argv);
