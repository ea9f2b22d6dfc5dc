/* x86_64 TLS entry points handed to plugins: __tls_get_addr and the TLS
 * descriptor resolvers.
 *
 * ABI (x86-64 psABI 4.4 and "TLS descriptors for x86-64", Oliva et al.):
 *  - __tls_get_addr(tls_index *ti) is an ordinary C call: %rdi points at
 *    {module id, offset}; the address comes back in %rax.
 *  - A TLS descriptor is two words {resolver, argument}. Code compiled with
 *    -mtls-dialect=gnu2 loads %rax = &descriptor and does
 *    `call *(%rax)`; the resolver returns in %rax the variable's offset
 *    from the thread pointer (%fs:0) and must preserve EVERY other
 *    register, the vector registers included. So the fast paths below touch
 *    only registers they save, and the slow path saves the whole
 *    caller-saved set before calling C.
 *
 * State (loader/tls.h): staticdl_tls_self is this thread's
 * {DtvEntry *dtv; uint64 len; uint64 *gen; slow path} in the host's
 * static TLS (local-exec: %fs:sym@tpoff); a DtvEntry is {void *block;
 * uint64 gen} and is current when it equals gen[module id].
 *
 * Everything between staticdl_tls_stubs_begin and _end reaches the world
 * only through %fs, never %rip, so the loader can run a copy of it mapped
 * next to the plugins (loader/tls.cpp, tls_entry()).
 */
	.text
	.p2align 6
	.globl staticdl_tls_stubs_begin
staticdl_tls_stubs_begin:

/* void *staticdl_tls_get_addr(tls_index *ti) */
	.globl staticdl_tls_get_addr
	.type staticdl_tls_get_addr, @function
	.p2align 4
staticdl_tls_get_addr:
	movq (%rdi), %rax                       /* module id */
	cmpq %fs:staticdl_tls_self@tpoff+8, %rax
	jae 1f
	movq %rax, %rcx
	shlq $4, %rcx
	addq %fs:staticdl_tls_self@tpoff, %rcx  /* &dtv[id] */
	movq %fs:staticdl_tls_self@tpoff+16, %rdx
	movq (%rdx,%rax,8), %rdx                /* live generation */
	cmpq 8(%rcx), %rdx
	jne 1f
	movq (%rcx), %rax
	addq 8(%rdi), %rax
	ret
1:	movq 8(%rdi), %rsi
	movq %rax, %rdi
	jmp *%fs:staticdl_tls_self@tpoff+24
	.size staticdl_tls_get_addr, .-staticdl_tls_get_addr

/* Static TLS: the argument is the offset from the thread pointer. */
	.globl staticdl_tlsdesc_static
	.type staticdl_tlsdesc_static, @function
	.p2align 4
staticdl_tlsdesc_static:
	movq 8(%rax), %rax
	ret
	.size staticdl_tlsdesc_static, .-staticdl_tlsdesc_static

/* Undefined weak: the argument is the addend; the address must be that
 * value, so return it minus the thread pointer. */
	.globl staticdl_tlsdesc_undefweak
	.type staticdl_tlsdesc_undefweak, @function
	.p2align 4
staticdl_tlsdesc_undefweak:
	movq 8(%rax), %rax
	subq %fs:0, %rax
	ret
	.size staticdl_tlsdesc_undefweak, .-staticdl_tlsdesc_undefweak

/* Dynamic TLS: the argument points at {module id, offset}. */
	.globl staticdl_tlsdesc_dynamic
	.type staticdl_tlsdesc_dynamic, @function
	.p2align 4
staticdl_tlsdesc_dynamic:
	pushq %rdx
	pushq %rcx
	pushq %rsi
	movq 8(%rax), %rax                      /* arg */
	movq (%rax), %rcx                       /* module id */
	cmpq %fs:staticdl_tls_self@tpoff+8, %rcx
	jae 2f
	movq %fs:staticdl_tls_self@tpoff+16, %rsi
	movq (%rsi,%rcx,8), %rsi                /* live generation */
	shlq $4, %rcx
	addq %fs:staticdl_tls_self@tpoff, %rcx  /* &dtv[id] */
	cmpq 8(%rcx), %rsi
	jne 2f
	movq (%rcx), %rcx                       /* block */
	addq 8(%rax), %rcx                      /* + offset */
	subq %fs:0, %rcx                        /* - tp */
	movq %rcx, %rax
	popq %rsi
	popq %rcx
	popq %rdx
	ret
2:	/* Slow path: save the remaining caller-saved registers. On entry
	 * %rsp was 8 mod 16; three pushes made it 0; the pushes and the 264
	 * bytes below keep it 16-aligned at the call. */
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	subq $264, %rsp
	movdqu %xmm0, 0(%rsp)
	movdqu %xmm1, 16(%rsp)
	movdqu %xmm2, 32(%rsp)
	movdqu %xmm3, 48(%rsp)
	movdqu %xmm4, 64(%rsp)
	movdqu %xmm5, 80(%rsp)
	movdqu %xmm6, 96(%rsp)
	movdqu %xmm7, 112(%rsp)
	movdqu %xmm8, 128(%rsp)
	movdqu %xmm9, 144(%rsp)
	movdqu %xmm10, 160(%rsp)
	movdqu %xmm11, 176(%rsp)
	movdqu %xmm12, 192(%rsp)
	movdqu %xmm13, 208(%rsp)
	movdqu %xmm14, 224(%rsp)
	movdqu %xmm15, 240(%rsp)
	movq (%rax), %rdi
	movq 8(%rax), %rsi
	call *%fs:staticdl_tls_self@tpoff+24
	subq %fs:0, %rax
	movdqu 0(%rsp), %xmm0
	movdqu 16(%rsp), %xmm1
	movdqu 32(%rsp), %xmm2
	movdqu 48(%rsp), %xmm3
	movdqu 64(%rsp), %xmm4
	movdqu 80(%rsp), %xmm5
	movdqu 96(%rsp), %xmm6
	movdqu 112(%rsp), %xmm7
	movdqu 128(%rsp), %xmm8
	movdqu 144(%rsp), %xmm9
	movdqu 160(%rsp), %xmm10
	movdqu 176(%rsp), %xmm11
	movdqu 192(%rsp), %xmm12
	movdqu 208(%rsp), %xmm13
	movdqu 224(%rsp), %xmm14
	movdqu 240(%rsp), %xmm15
	addq $264, %rsp
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rcx
	popq %rdx
	ret
	.size staticdl_tlsdesc_dynamic, .-staticdl_tlsdesc_dynamic
	.globl staticdl_tls_stubs_end
staticdl_tls_stubs_end:

	.section .note.GNU-stack,"",@progbits
