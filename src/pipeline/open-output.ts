import { finishInterruptedUpdates, UpdatedOutput } from './update-in-place.js';
import { prepareOutput, StagedOutput, type OutputWrite } from './write-atomically.js';

/**
 * Opens the write of a build's output into `outDir`: an output a previous
 * build wrote (it has a sound manifest) is updated in place, only its changed
 * files moved in ({@link UpdatedOutput}); any other is written whole beside it
 * and swapped in ({@link StagedOutput}). Either way nothing reaches `outDir`
 * before `commit`. An update a killed build had decided is finished first.
 *
 * @param outDir Absolute path of the output folder.
 */
export async function openOutput(outDir: string): Promise<OutputWrite> {
  finishInterruptedUpdates(outDir);
  const previous = await prepareOutput(outDir);
  return previous.size > 0 ? UpdatedOutput.open(outDir, previous) : StagedOutput.open(outDir);
}
