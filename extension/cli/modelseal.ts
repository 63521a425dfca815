#!/usr/bin/env node
/**
 * `modelseal` command line: dispatches to one module per subcommand.
 * Exit codes: 0 verified, 1 not verified, 2 bad usage. A crash is never a verdict (exit 3).
 */
import { runVerify } from './verify-command.js';
import { runVerifyBundle } from './verify-bundle-command.js';
import { runDownload } from './download-command.js';
import { runLock } from './lock-command.js';

const USAGE = `usage:
  modelseal verify MODEL_PATH [--signature FILE] (--identity ID --issuer URL | --key PEM | --ca PEM...)
                   [--trusted-root FILE | --offline] [--ignore-paths PATH...] [--json]
  modelseal verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)
                   [--trusted-root FILE] FILE|sha256:HEX
  modelseal download REPO[@REVISION] [DIR] [--dataset] [--endpoint URL] [--token TOKEN]
                   (--identity ID --issuer URL | --key PEM | --ca PEM... | --trust-store FILE)
                   [--lock FILE] [--trusted-root FILE | --offline] [--include GLOB...] [--jobs N] [--retries N] [--timeout S] [--no-fsync] [--json]
  modelseal download --lock FILE [REPO[@REVISION] [DIR]]
  modelseal lock REPO[@REVISION] [-o modelseal.lock.json] [--dataset] [--endpoint URL] [--token TOKEN]
                   [--identity ID --issuer URL | --key PEM | --ca PEM... | --trust-store FILE] [--trusted-root FILE | --offline]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'verify':
      return runVerify(rest);
    case 'verify-bundle':
      return runVerifyBundle(rest);
    case 'download':
      return runDownload(rest);
    case 'lock':
      return runLock(rest);
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE + '\n');
      return 0;
    default:
      process.stderr.write(USAGE + '\n');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`modelseal: internal error, nothing was verified: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 3;
  },
);
