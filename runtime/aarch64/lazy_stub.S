/* AArch64 resolver for PLT slots deferred by RTLD_LAZY (loader/lazy.h).
 *
 * ABI (AArch64 ELF ABI, "PLT"): a call through a slot whose function was
 * not defined at dlopen reaches PLT0 with x16 = &GOT[n+3] (the slot);
 * PLT0 does `stp x16, x30, [sp, #-16]!` and jumps to GOT[2] with
 *     x16 = &GOT[2]     x17 = this code
 *     [sp] = &GOT[n+3]  [sp, #8] = the caller's x30 (x30 itself unchanged)
 * GOT[1], the Module, is at [x16, #-8], and n = (&GOT[n+3] - &GOT[2]) / 8
 * - 1 indexes DT_JMPREL. The call's arguments are still in x0-x7, x8 (the
 * indirect result address) and q0-q7; they are saved around the call to
 * staticdl_lazy_fixup, which returns the function's address in x0 (or
 * ends the process). As in glibc, SVE's argument registers are not saved:
 * functions marked STO_AARCH64_VARIANT_PCS are never deferred. The frame
 * is undone, PLT0's pair popped (x30 = the caller's return address) and
 * the call continues in the function through x17.
 */
	.text
	.globl staticdl_lazy_entry
	.hidden staticdl_lazy_entry
	.type staticdl_lazy_entry, %function
	.p2align 4
staticdl_lazy_entry:
	.cfi_startproc
	hint #34                                /* bti c: reached by br x17 */
	.cfi_def_cfa_offset 16                  /* PLT0's pair */
	.cfi_offset x30, -8
	stp x29, x30, [sp, #-224]!
	.cfi_def_cfa_offset 240
	.cfi_offset x29, -240
	mov x29, sp
	stp x0, x1, [sp, #16]
	stp x2, x3, [sp, #32]
	stp x4, x5, [sp, #48]
	stp x6, x7, [sp, #64]
	str x8, [sp, #80]
	stp q0, q1, [sp, #96]
	stp q2, q3, [sp, #128]
	stp q4, q5, [sp, #160]
	stp q6, q7, [sp, #192]
	ldr x0, [x16, #-8]                      /* GOT[1] */
	ldr x1, [sp, #224]                      /* &GOT[n+3] */
	sub x1, x1, x16
	lsr x1, x1, #3
	sub x1, x1, #1                          /* n */
	bl staticdl_lazy_fixup
	mov x17, x0                             /* the function */
	ldp q0, q1, [sp, #96]
	ldp q2, q3, [sp, #128]
	ldp q4, q5, [sp, #160]
	ldp q6, q7, [sp, #192]
	ldp x0, x1, [sp, #16]
	ldp x2, x3, [sp, #32]
	ldp x4, x5, [sp, #48]
	ldp x6, x7, [sp, #64]
	ldr x8, [sp, #80]
	ldp x29, x30, [sp], #224
	.cfi_def_cfa_offset 16
	.cfi_restore x29
	ldp x16, x30, [sp], #16                 /* PLT0's pair */
	.cfi_def_cfa_offset 0
	.cfi_restore x30
	br x17
	.cfi_endproc
	.size staticdl_lazy_entry, .-staticdl_lazy_entry

	.section .note.GNU-stack,"",%progbits
