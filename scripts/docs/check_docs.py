#!/usr/bin/env python3
"""Runs every command and snippet of README.md and docs/*.md as written, so the docs cannot drift.

    python3 scripts/docs/check_docs.py [--list] [--only FILE[:LINE]] [--keep]

Each fenced block declares what it is by its info string, and is checked by what it is:
  sh          run with bash -e in a scratch copy of the repository (its root is the working directory);
              `train` commands get a step limit (--steps 2 --steps-per-epoch 2 right after `train`,
              Commons CLI keeps the first value) so that the docs' long runs take seconds
  python      run with the Python of scripts/parity/setup.sh (TensorFlow 2.18 and the consumers)
  java        compiled against the project's classes and run in the scratch copy (class = the public class);
              a training program that passes its arguments to Training's commandLine gets the same step limit
  xml         a Maven <dependency>: the project is installed (mvn install -DskipTests) and a consumer project
              with this dependency compiles and runs the next java block of the same file
  yaml        a Kubernetes manifest: parsed, and checked as the docs describe it (kind, selectors, ports)
  text        output shown to the reader; with `output-of`, checked against the real output
Every other block (an untagged fence included) is an error: nothing in the docs goes unchecked.

A comment just before a block can say more:
  <!-- docs-test: exit 2 -->                the block must exit with 2 (a refusal the docs show)
  <!-- docs-test: terminals -->             `# terminal N` parts run at once, as in N terminals
  <!-- docs-test: netns -->                 run inside a new network namespace with loopback up (servers, firewalls)
  <!-- docs-test: output-of COMMAND -->     (text) every line of the block appears, in order, in COMMAND's output
  <!-- docs-test: ran-by .ci/run -->        (sh) the commands are .ci/run's own lines (mvn test), not run twice
  <!-- docs-test: skip REASON -->           not run, and the reason is printed in the summary (a GPU, say)
  <!-- docs-test: timeout SECONDS -->       a longer limit than the default for a block that does much
Also fails on any native TensorFlow ERROR line (`E0000 ...`) in a command's output: the docs promise none but the
one the jgan commands themselves hide as harmless (HARMLESS_NATIVE_ERRORS, which programs run with `java` show).
Exit status 0 when every block passes.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
FENCE = re.compile(r'(?:<!--\s*docs-test:\s*(?P<opts>.*?)\s*-->\s*\n)?^```(?P<lang>[^\n`]*)\n(?P<body>.*?)^```\s*$',
                   re.S | re.M)
NATIVE_ERROR = re.compile(r'^(E\d{4} \d\d:\d\d:\d+\.\d+ +\d+ \S+:\d+\]|\d{4}-\d\d-\d\d [\d:.]+: E tensorflow/)', re.M)
# The native errors known to be harmless, as io.jgan.cli.Relaunch.HARMLESS_ERRORS names them (the jgan commands
# hide them; a program run with `java`, as examples/README.md runs them, shows them): grappler's remapper
# declining a Conv2D + BiasAdd + LeakyRelu fusion whose BiasAdd a LeakyRelu gradient still reads.
HARMLESS_NATIVE_ERRORS = [re.compile(r"^E\d{4} \d\d:\d\d:\d+\.\d+ +\d+ meta_optimizer\.cc:\d+\] remapper failed: "
                                     r"INVALID_ARGUMENT: Mutation::Apply error: fanout '[\w/]*LeakyReluGrad(_\d+)?' exist "
                                     r"for missing node '[\w/]*BiasAdd(_\d+)?'\.?$")]
STEP_LIMIT = '--steps 2 --steps-per-epoch 2'
JUDGE_LIMIT = '--epochs 1'
TIMEOUT_SECONDS = 900
KINDS = ('sh', 'python', 'java', 'xml', 'yaml', 'text')


class Block:
    def __init__(self, path, line, lang, body, opts):
        self.path, self.line, self.lang, self.body, self.opts = path, line, lang.strip(), body, opts or ''

    def where(self):
        return f'{os.path.relpath(self.path, ROOT)}:{self.line}'

    def option(self, name):
        """A flag's '' (terminals, netns), a value (exit N, ran-by FILE), the rest of the line (output-of, skip), or None."""
        pattern = {'output-of': r'(.*)$', 'skip': r'(.*)$', 'exit': r'(\S+)', 'ran-by': r'(\S+)', 'timeout': r'(\S+)'}.get(name)
        m = re.search(rf'(?:^|\s){name}(?:\s+{pattern}|(?=\s|$))' if pattern else rf'(?:^|\s){name}(?=\s|$)', self.opts)
        if not m:
            return None
        return (m.group(1) or '').strip() if pattern else ''


def blocks(paths):
    found = []
    for path in paths:
        text = open(path, encoding='utf-8').read()
        for m in FENCE.finditer(text):
            found.append(Block(path, text.count('\n', 0, m.start('lang')) + 1, m.group('lang'), m.group('body'),
                               m.group('opts')))
    return found


def doc_files():
    files = [os.path.join(ROOT, 'README.md')]
    for base, _, names in os.walk(os.path.join(ROOT, 'docs')):
        files += [os.path.join(base, n) for n in sorted(names) if n.endswith('.md')]
    examples = os.path.join(ROOT, 'examples')
    for base, _, names in os.walk(examples):
        files += [os.path.join(base, n) for n in sorted(names) if n == 'README.md']
    return files


def limit_training(command):
    """The jgan command lines of a block with their training cut short: `train` gets STEP_LIMIT and
    `train-judge` JUDGE_LIMIT right after the command name (Commons CLI keeps an option's first value)."""
    for name, limit in (('train', STEP_LIMIT), ('train-judge', JUDGE_LIMIT)):
        command = re.sub(rf'-Dexec\.args="{name}(?=[\s"])', f'-Dexec.args="{name} {limit}', command)
        command = re.sub(rf'-Dexec\.args={name}(?=\s|$)', f'-Dexec.args="{name} {limit}"', command, flags=re.M)
        command = re.sub(rf'((?:\.jar|io\.jgan\.cli\.Main) {name})(?=\s|$)', rf'\1 {limit}', command, flags=re.M)
    return command


class Scratch:
    """A copy of the repository's files (tracked and untracked-not-ignored), its data linked, built once."""

    def __init__(self, keep):
        self.dir = tempfile.mkdtemp(prefix='jgan-docs-')
        self.keep = keep
        files = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard', '-z'], cwd=ROOT, check=True,
                               capture_output=True).stdout.decode().split('\0')
        for f in filter(None, files):
            src = os.path.join(ROOT, f)
            if os.path.isfile(src):
                os.makedirs(os.path.dirname(os.path.join(self.dir, f)), exist_ok=True)
                shutil.copy2(src, os.path.join(self.dir, f), follow_symlinks=False)
        for name in ('mnist', 'fashion-mnist'):
            if os.path.isdir(os.path.join(ROOT, 'data', name)):
                os.symlink(os.path.join(ROOT, 'data', name), os.path.join(self.dir, 'data', name))
        self.venv = subprocess.run(['bash', 'scripts/parity/setup.sh'], cwd=ROOT, check=True, capture_output=True,
                                   text=True).stdout.strip()
        subprocess.run(['mvn', '-q', '-B', 'compile', 'dependency:build-classpath',
                        '-Dmdep.outputFile=target/classpath.txt'], cwd=self.dir, check=True, stdout=subprocess.DEVNULL)
        self.classpath = os.path.join(self.dir, 'target', 'classes') + os.pathsep + open(
            os.path.join(self.dir, 'target', 'classpath.txt')).read().strip()
        self.env = dict(os.environ, PATH=os.path.join(self.venv, 'bin') + os.pathsep + os.environ['PATH'])
        self.env.pop('TF_CPP_MIN_LOG_LEVEL', None)  # as a user's shell has it: the commands hide native logs themselves
        self.installed = False

    def run(self, command, cwd=None, timeout=TIMEOUT_SECONDS, netns=False):
        argv = ['bash', '-e', '-c', command]
        if netns:
            argv = ['unshare', '--net', 'sh', '-c', 'ip link set lo up && exec "$@"', 'netns'] + argv
        start = time.time()
        p = subprocess.run(argv, cwd=cwd or self.dir, env=self.env, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout + p.stderr, time.time() - start

    def close(self):
        if self.keep:
            print(f'scratch copy kept in {self.dir}')
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def check_sh(block, scratch):
    body = block.body
    ran_by = block.option('ran-by')
    if ran_by is not None:
        # Lines the script runs itself (mvn test) are not run twice; the others are.
        script = open(os.path.join(ROOT, ran_by), encoding='utf-8').read().split('\n')
        commands = [l.split('#')[0].strip() for l in body.split('\n')]
        theirs = [c for c in commands if c and c in [l.split('#')[0].strip() for l in script]]
        if not theirs:
            return f'expected {ran_by} to run one of these lines, it runs none'
        body = '\n'.join(c for c in commands if c and c not in theirs)
    body = limit_training(body)
    expected = int(block.option('exit') or 0)
    netns = block.option('netns') is not None
    if block.option('terminals') is not None:
        parts = re.split(r'^# terminal \d+.*$', body, flags=re.M)
        parts = [p for p in parts if p.strip()]
        body = ' & '.join('( ' + p.strip().replace('\n', '; ') + ' )' for p in parts) + '; wait'
        # `wait` alone returns 0: each part's status must count, so collect them.
        body = '\n'.join(f'( {p.strip()} ) & pids="$pids $!"' for p in parts) + \
            '\nfor p in $pids; do wait $p; done'
    status, out, seconds = scratch.run(body, netns=netns, timeout=int(block.option('timeout') or TIMEOUT_SECONDS))
    print(f'    {seconds:.0f} s', flush=True)
    if status != expected:
        return f'exit status {status}, expected {expected}; output:\n{tail(out)}'
    return native_errors(out)


def check_python(block, scratch):
    path = os.path.join(scratch.dir, f'.docs-{block.line}.py')
    open(path, 'w').write(block.body)
    status, out, seconds = scratch.run(f'python {path}')
    print(f'    {seconds:.0f} s', flush=True)
    if status != int(block.option('exit') or 0):
        return f'exit status {status}; output:\n{tail(out)}'
    return None


def public_class(body):
    m = re.search(r'public\s+(?:final\s+)?class\s+(\w+)', body)
    return m.group(1) if m else None


def check_java(block, scratch):
    name = public_class(block.body)
    if name is None:
        return 'expected a public class to compile and run'
    work = tempfile.mkdtemp(dir=scratch.dir, prefix='.java-')
    open(os.path.join(work, name + '.java'), 'w').write(block.body)
    status, out, _ = scratch.run(f'javac -cp "{scratch.classpath}" -d {work} {work}/{name}.java')
    if status != 0:
        return f'does not compile:\n{tail(out)}'
    # A training program that takes the common options (Training.Builder.commandLine) trains briefly, as
    # the documented `train` commands do.
    args = ' ' + STEP_LIMIT if 'commandLine(args)' in block.body else ''
    status, out, seconds = scratch.run(f'java -cp "{work}{os.pathsep}{scratch.classpath}" {name}{args}')
    print(f'    {seconds:.0f} s', flush=True)
    if status != int(block.option('exit') or 0):
        return f'exit status {status}; output:\n{tail(out)}'
    return native_errors(out)


CONSUMER_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>docs.check</groupId><artifactId>consumer</artifactId><version>1</version>
  <properties><maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
  <dependencies>
{dependency}
  </dependencies>
  <build><plugins>
    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
    <plugin><groupId>org.codehaus.mojo</groupId><artifactId>exec-maven-plugin</artifactId><version>3.5.0</version></plugin>
  </plugins></build>
</project>
"""


def check_xml(block, scratch, all_blocks):
    try:
        dependency = ET.fromstring(block.body)
    except ET.ParseError as e:
        return f'not XML: {e}'
    if dependency.tag != 'dependency':
        return f'expected a Maven <dependency>, got <{dependency.tag}>'
    following = [b for b in all_blocks if b.path == block.path and b.line > block.line and b.lang == 'java']
    if not following:
        return 'expected a java block after it to compile against the dependency'
    if not scratch.installed:
        status, out, _ = scratch.run('mvn -q -B install -DskipTests')
        if status != 0:
            return f'mvn install -DskipTests failed:\n{tail(out)}'
        scratch.installed = True
    consumer = tempfile.mkdtemp(dir=scratch.dir, prefix='.consumer-')
    open(os.path.join(consumer, 'pom.xml'), 'w').write(CONSUMER_POM.format(dependency=block.body))
    example = following[0]
    name = public_class(example.body)
    os.makedirs(os.path.join(consumer, 'src', 'main', 'java'))
    open(os.path.join(consumer, 'src', 'main', 'java', name + '.java'), 'w').write(example.body)
    os.symlink(os.path.join(scratch.dir, 'savedmodels'), os.path.join(consumer, 'savedmodels'))
    status, out, seconds = scratch.run(f'mvn -q -B compile exec:java -Dexec.mainClass={name}', cwd=consumer)
    print(f'    {seconds:.0f} s (a consumer project of the installed jar running {example.where()})', flush=True)
    if status != 0:
        return f'a consumer project with this dependency could not build and run {name}:\n{tail(out)}'
    return None


def check_yaml(block, scratch):
    script = ('import sys, yaml\n'
              'doc = yaml.safe_load(open(sys.argv[1]))\n'
              'assert doc["apiVersion"] == "networking.k8s.io/v1" and doc["kind"] == "NetworkPolicy", doc\n'
              'spec = doc["spec"]\n'
              'assert spec["policyTypes"] == ["Ingress"], spec\n'
              'pods = spec["podSelector"]["matchLabels"]\n'
              'rules = spec["ingress"]\n'
              'assert len(rules) == 1 and rules[0]["from"] == [{"podSelector": {"matchLabels": pods}}], rules\n'
              'assert all(p["protocol"] == "TCP" and isinstance(p["port"], int) for p in rules[0]["ports"]), rules\n'
              'print("NetworkPolicy admits only pods labelled", pods, "on ports", [p["port"] for p in rules[0]["ports"]])\n')
    path = os.path.join(scratch.dir, f'.docs-{block.line}.yaml')
    open(path, 'w').write(block.body)
    check = os.path.join(scratch.dir, '.check-yaml.py')
    open(check, 'w').write(script)
    status, out, _ = scratch.run(f'python {check} {path}')
    return None if status == 0 else f'not the NetworkPolicy the docs describe:\n{tail(out)}'


def check_text(block, scratch):
    command = block.option('output-of')
    if command is None:
        return None
    status, out, _ = scratch.run(command)
    if status != 0:
        return f'`{command}` failed:\n{tail(out)}'
    at = 0
    for line in filter(None, (l.rstrip() for l in block.body.split('\n'))):
        found = out.find(line, at)
        if found < 0:
            return f'`{command}` no longer prints this line (after the ones before it):\n  {line}\n{tail(out)}'
        at = found + len(line)
    return None


def native_errors(out):
    errors = [l for l in out.split('\n')
              if NATIVE_ERROR.match(l) and not any(h.match(l) for h in HARMLESS_NATIVE_ERRORS)]
    return f'native TensorFlow errors in the output:\n' + '\n'.join(errors[:5]) if errors else None


def tail(text, lines=40):
    return '\n'.join('      ' + l for l in text.rstrip().split('\n')[-lines:])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--list', action='store_true', help='list the blocks and what would be done, run nothing')
    parser.add_argument('--only', help='FILE or FILE:LINE (relative to the repository) to check alone')
    parser.add_argument('--keep', action='store_true', help='keep the scratch copy')
    args = parser.parse_args()
    found = blocks(doc_files())
    bad = [b for b in found if b.lang not in KINDS]
    for b in bad:
        print(f'FAIL {b.where()}: a block of kind "{b.lang}": expected one of {", ".join(KINDS)} (say what it is)')
    selected = [b for b in found if b.lang in KINDS and (
        not args.only or args.only in (os.path.relpath(b.path, ROOT), b.where()))]
    if args.list:
        for b in selected:
            print(f'{b.where():<28} {b.lang:<7} {b.opts}')
        return 1 if bad else 0
    scratch = Scratch(args.keep)
    failures, skipped, passed = len(bad), [], 0
    started = time.time()
    try:
        for b in selected:
            reason = b.option('skip')
            if reason is not None:
                skipped.append(f'{b.where()}: {reason}')
                continue
            if b.lang == 'text' and b.option('output-of') is None:
                continue
            print(f'  {b.where()} ({b.lang}{", " + b.opts if b.opts else ""})', flush=True)
            try:
                problem = {'sh': lambda: check_sh(b, scratch), 'python': lambda: check_python(b, scratch),
                           'java': lambda: check_java(b, scratch), 'xml': lambda: check_xml(b, scratch, found),
                           'yaml': lambda: check_yaml(b, scratch), 'text': lambda: check_text(b, scratch)}[b.lang]()
            except subprocess.TimeoutExpired:
                problem = f'did not finish in {TIMEOUT_SECONDS} s'
            if problem:
                failures += 1
                print(f'FAIL {b.where()}: {problem}', flush=True)
            else:
                passed += 1
    finally:
        scratch.close()
    for s in skipped:
        print(f'skipped {s}')
    print(f'docs: {passed} passed, {failures} failed, {len(skipped)} skipped ({time.time() - started:.0f} s)')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
