import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kindOf, nameAt, readPerfMap } from './callgrind-counts.mjs';

const dir = mkdtempSync(join(tmpdir(), 'paygate-perf-map-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("naming compiled JavaScript by a perf map's addresses", () => {
  // V8 writes a line each time it puts code somewhere: `resolve` lived at 0x1080 during start-up,
  // its space was freed and reused, and `toPaymentDto` was put at 0x1000, over it, later on.
  const file = join(dir, 'perf.map');
  writeFileSync(file, ['1080 40 JS:~resolve node:path:1', '2000 100 JS:~join node:path:2', '1000 200 JS:*toPaymentDto wire.js:3', ''].join('\n'));
  const ranges = readPerfMap(file);

  it('names an address after the code V8 put there last, not the range that starts nearest below it', () => {
    expect(nameAt(ranges, 0x1090)).toBe('JS:toPaymentDto wire.js:3');
  });

  it('names code that nothing replaced, and says when nothing holds the address', () => {
    expect(nameAt(ranges, 0x1010)).toBe('JS:toPaymentDto wire.js:3');
    expect(nameAt(ranges, 0x2050)).toBe('JS:join node:path:2');
    expect(nameAt(ranges, 0x3000)).toBe('0x3000 (not in the map)');
  });
});

describe('the kind of work a function does', () => {
  it("puts V8's runtime helpers of compiling and collecting with them, not with the builtins", () => {
    expect(
      kindOf('???:void v8::internal::BodyDescriptorBase::IteratePointers<v8::internal::IterateAndScavengePromotedObjectsVisitor>(…) [/usr/bin/node]'),
    ).toBe('garbage collection');
    expect(kindOf('???:Builtins_RecordWriteSaveFP [/usr/bin/node]')).toBe('garbage collection');
    expect(kindOf('???:v8::internal::PretenuringHandler::UpdateAllocationSite(…) [/usr/bin/node]')).toBe('garbage collection');
    expect(kindOf('???:v8::internal::interpreter::BytecodeGenerator::VisitCall(…) [/usr/bin/node]')).toBe('V8 compiling');
    expect(kindOf('???:v8::internal::Deoptimizer::DoComputeOutputFrames() [/usr/bin/node]')).toBe('V8 compiling');
  });

  it('leaves the work a payment itself does where it was', () => {
    expect(kindOf('???:Builtins_LoadIC_Megamorphic [/usr/bin/node]')).toBe('V8 builtins and runtime');
    expect(kindOf('???:void v8::internal::String::WriteToFlat<unsigned char>(…) [/usr/bin/node]')).toBe('V8 builtins and runtime');
    expect(kindOf('???:0x000000000d29c1c0 [???]')).toBe('JavaScript (JIT-compiled)');
    expect(kindOf('???:sha256_block_data_order_avx2 [/usr/bin/node]')).toBe('SHA-256');
    expect(kindOf('./malloc/./malloc/malloc.c:_int_malloc [/usr/lib/x86_64-linux-gnu/libc.so.6]')).toBe('libc');
  });
});
