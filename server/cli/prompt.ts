import readline from 'node:readline';

/** Asks one question on the terminal; hidden input for passwords. Fails when stdin is not a terminal. */
export async function ask(question: string, options: { isHidden?: boolean } = {}): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new Error(`${question.replace(/:\s*$/, '')} is required (pass it as a flag; standard input is not a terminal).`);
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (options.isHidden) {
    // Echo nothing while the password is typed.
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    let isPrompting = true;
    output._writeToOutput = (text: string) => {
      if (isPrompting) process.stdout.write(text);
    };
    setImmediate(() => {
      isPrompting = false;
    });
  }
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    if (options.isHidden) process.stdout.write('\n');
    rl.close();
  }
}
