#!/usr/bin/env node
import { createProgram } from './program.js';

createProgram()
  .parseAsync(process.argv)
  .catch((error: Error) => {
    console.error(`sightline: ${error.message}`);
    process.exit(1);
  });
