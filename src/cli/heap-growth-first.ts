/**
 * Imported first by the CLI's entry (`bin.ts`), so that V8's heap growing
 * factor is set before any other module runs or any code cache is read
 * (see `startup/heap-growth.ts`).
 */
import { limitHeapGrowth } from '../startup/heap-growth.js';

limitHeapGrowth();
