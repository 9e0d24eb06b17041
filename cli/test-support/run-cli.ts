// Runs the xdpolicy CLI from source (under tsx), so CLI tests need no build: the same entry point
// bin/xdpolicy.js calls on the compiled code.
import { runProcess } from '../main.js';

runProcess(process.argv.slice(2));
