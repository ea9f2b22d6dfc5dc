/* AArch64 TLS entry points handed to plugins: __tls_get_addr and the TLS
 * descriptor resolvers.
 *
 * ABI (AArch64 ELF ABI, "Thread-local storage"; TLS variant I): TPIDR_EL0
 * is the thread pointer; static TLS lies above it. TLS descriptors are the
 * default dialect. A descriptor is {resolver, argument}; the code does
 *     ldr x1, [x0]; blr x1        (x0 = &descriptor)
 * and adds the returned x0 to TPIDR_EL0. The resolver must preserve every
 * register except x0 (x30 is the caller's to save; flags may change), so
 * the fast paths only use registers they save and the slow path saves all
 * caller-saved registers, the SIMD ones included, before calling C.
 * __tls_get_addr(tls_index *) (general dynamic with -mtls-dialect=trad) is
 * an ordinary call.
 *
 * State (loader/tls.h): staticdl_tls_self = {DtvEntry *dtv; uint64 len;
 * uint64 *gen; slow path} in the host's static TLS (local-exec: tprel
 * offsets); DtvEntry = {block, gen}, current when it equals gen[id].
 *
 * Everything between staticdl_tls_stubs_begin and _end reaches the world
 * only through TPIDR_EL0, never adrp or a pc-relative branch, so the loader
 * can run a copy of it mapped next to the plugins (loader/tls.cpp,
 * tls_entry()).
 */
	.text
	.p2align 6
	.globl staticdl_tls_stubs_begin
staticdl_tls_stubs_begin:

/* x0 = &{id, offset} -> x0 = block + offset */
	.globl staticdl_tls_get_addr
	.type staticdl_tls_get_addr, %function
	.p2align 4
staticdl_tls_get_addr:
	ldr x1, [x0]                          /* module id */
	mrs x2, tpidr_el0
	add x2, x2, #:tprel_hi12:staticdl_tls_self, lsl #12
	add x2, x2, #:tprel_lo12_nc:staticdl_tls_self
	ldp x3, x4, [x2]                      /* dtv, len */
	cmp x1, x4
	b.hs 1f
	ldr x5, [x2, #16]                     /* gen */
	ldr x5, [x5, x1, lsl #3]              /* live generation */
	add x3, x3, x1, lsl #4                /* &dtv[id] */
	ldp x6, x7, [x3]                      /* block, gen */
	cmp x7, x5
	b.ne 1f
	ldr x1, [x0, #8]
	add x0, x6, x1
	ret
1:	ldr x16, [x2, #24]                    /* slow path */
	ldr x1, [x0, #8]                      /* offset */
	ldr x0, [x0]                          /* id */
	br x16
	.size staticdl_tls_get_addr, .-staticdl_tls_get_addr

	.globl staticdl_tlsdesc_static
	.type staticdl_tlsdesc_static, %function
	.p2align 4
staticdl_tlsdesc_static:
	ldr x0, [x0, #8]
	ret
	.size staticdl_tlsdesc_static, .-staticdl_tlsdesc_static

	.globl staticdl_tlsdesc_undefweak
	.type staticdl_tlsdesc_undefweak, %function
	.p2align 4
staticdl_tlsdesc_undefweak:
	str x1, [sp, #-16]!
	ldr x0, [x0, #8]
	mrs x1, tpidr_el0
	sub x0, x0, x1
	ldr x1, [sp], #16
	ret
	.size staticdl_tlsdesc_undefweak, .-staticdl_tlsdesc_undefweak

	.globl staticdl_tlsdesc_dynamic
	.type staticdl_tlsdesc_dynamic, %function
	.p2align 4
staticdl_tlsdesc_dynamic:
	stp x1, x2, [sp, #-48]!
	stp x3, x4, [sp, #16]
	stp x5, x6, [sp, #32]
	ldr x0, [x0, #8]                      /* arg = {id, offset} */
	ldr x1, [x0]                          /* id */
	mrs x2, tpidr_el0
	add x3, x2, #:tprel_hi12:staticdl_tls_self, lsl #12
	add x3, x3, #:tprel_lo12_nc:staticdl_tls_self
	ldp x4, x5, [x3]                      /* dtv, len */
	cmp x1, x5
	b.hs 2f
	ldr x5, [x3, #16]                     /* gen */
	ldr x5, [x5, x1, lsl #3]              /* live generation */
	add x4, x4, x1, lsl #4
	ldp x6, x3, [x4]                      /* block, gen */
	cmp x3, x5
	b.ne 2f
	ldr x1, [x0, #8]
	add x0, x6, x1
	sub x0, x0, x2                        /* - tp */
	ldp x5, x6, [sp, #32]
	ldp x3, x4, [sp, #16]
	ldp x1, x2, [sp], #48
	ret
2:	/* Slow path: save x7-x18, x29, x30 and q0-q31, call C. */
	stp x29, x30, [sp, #-16]!
	mov x29, sp
	stp x7, x8, [sp, #-16]!
	stp x9, x10, [sp, #-16]!
	stp x11, x12, [sp, #-16]!
	stp x13, x14, [sp, #-16]!
	stp x15, x16, [sp, #-16]!
	stp x17, x18, [sp, #-16]!
	stp q0, q1, [sp, #-32]!
	stp q2, q3, [sp, #-32]!
	stp q4, q5, [sp, #-32]!
	stp q6, q7, [sp, #-32]!
	stp q8, q9, [sp, #-32]!
	stp q10, q11, [sp, #-32]!
	stp q12, q13, [sp, #-32]!
	stp q14, q15, [sp, #-32]!
	stp q16, q17, [sp, #-32]!
	stp q18, q19, [sp, #-32]!
	stp q20, q21, [sp, #-32]!
	stp q22, q23, [sp, #-32]!
	stp q24, q25, [sp, #-32]!
	stp q26, q27, [sp, #-32]!
	stp q28, q29, [sp, #-32]!
	stp q30, q31, [sp, #-32]!
	mrs x1, tpidr_el0
	add x1, x1, #:tprel_hi12:staticdl_tls_self, lsl #12
	add x1, x1, #:tprel_lo12_nc:staticdl_tls_self
	ldr x16, [x1, #24]                    /* slow path */
	ldr x1, [x0, #8]
	ldr x0, [x0]
	blr x16
	mrs x1, tpidr_el0
	sub x0, x0, x1
	ldp q30, q31, [sp], #32
	ldp q28, q29, [sp], #32
	ldp q26, q27, [sp], #32
	ldp q24, q25, [sp], #32
	ldp q22, q23, [sp], #32
	ldp q20, q21, [sp], #32
	ldp q18, q19, [sp], #32
	ldp q16, q17, [sp], #32
	ldp q14, q15, [sp], #32
	ldp q12, q13, [sp], #32
	ldp q10, q11, [sp], #32
	ldp q8, q9, [sp], #32
	ldp q6, q7, [sp], #32
	ldp q4, q5, [sp], #32
	ldp q2, q3, [sp], #32
	ldp q0, q1, [sp], #32
	ldp x17, x18, [sp], #16
	ldp x15, x16, [sp], #16
	ldp x13, x14, [sp], #16
	ldp x11, x12, [sp], #16
	ldp x9, x10, [sp], #16
	ldp x7, x8, [sp], #16
	ldp x29, x30, [sp], #16
	ldp x5, x6, [sp, #32]
	ldp x3, x4, [sp, #16]
	ldp x1, x2, [sp], #48
	ret
	.size staticdl_tlsdesc_dynamic, .-staticdl_tlsdesc_dynamic
	.globl staticdl_tls_stubs_end
staticdl_tls_stubs_end:

	.section .note.GNU-stack,"",%progbits
