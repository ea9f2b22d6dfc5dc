/* x86_64 resolver for PLT slots deferred by RTLD_LAZY (loader/lazy.h).
 *
 * ABI (x86-64 psABI 5.2 "Procedure Linkage Table"): a call through a slot
 * whose function was not defined at dlopen runs the object's lazy PLT
 * path, `push $n; jmp PLT0`, and PLT0 does `push GOT[1]; jmp *GOT[2]`.
 * So on entry here
 *     (%rsp)    GOT[1]: the Module            16(%rsp)  the caller's return
 *     8(%rsp)   n: the index into DT_JMPREL              address
 * and the argument registers still hold the call's arguments: %rdi, %rsi,
 * %rdx, %rcx, %r8, %r9, %rax (the number of vector registers a variadic
 * call uses), %r10 (static chain) and the vector registers, whose upper
 * halves carry __m256/__m512 arguments. C code may clobber all of them
 * (memcpy's AVX paths end in vzeroupper), so they are saved around the
 * call to staticdl_lazy_fixup: the general ones in 64 bytes, the vector
 * state with XSAVE (every component the OS enabled, but not AMX's tiles,
 * which are not argument registers and would fault where the kernel has
 * not given the process AMX) in staticdl_lazy_xsave_size bytes, or with
 * FXSAVE (xmm only) when the OS has not enabled XSAVE. Both areas need
 * 64-byte alignment; %rbx keeps the entry frame. The fixup returns the
 * function's address (or ends the process); the frame is then undone and
 * the call continues there with the caller's return address on top.
 */
	.text
	.globl staticdl_lazy_entry
	.hidden staticdl_lazy_entry
	.type staticdl_lazy_entry, @function
	.p2align 4
staticdl_lazy_entry:
	.cfi_startproc
	.cfi_def_cfa_offset 24                  /* GOT[1], n, return address */
	pushq %rbx
	.cfi_def_cfa_offset 32
	.cfi_offset %rbx, -32
	movq %rsp, %rbx
	.cfi_def_cfa_register %rbx
	andq $-64, %rsp
	movl staticdl_lazy_xsave_size(%rip), %r11d
	testl %r11d, %r11d
	jnz 1f
	movl $512, %r11d                        /* FXSAVE's area */
1:	subq %r11, %rsp
	subq $64, %rsp
	movq %rax, 0(%rsp)
	movq %rcx, 8(%rsp)
	movq %rdx, 16(%rsp)
	movq %rsi, 24(%rsp)
	movq %rdi, 32(%rsp)
	movq %r8, 40(%rsp)
	movq %r9, 48(%rsp)
	movq %r10, 56(%rsp)
	cmpl $0, staticdl_lazy_xsave_size(%rip)
	je 2f
	xorl %eax, %eax                         /* XRSTOR wants the header's reserved bytes zero */
	movq %rax, 64+512(%rsp)
	movq %rax, 64+520(%rsp)
	movq %rax, 64+528(%rsp)
	movq %rax, 64+536(%rsp)
	movq %rax, 64+544(%rsp)
	movq %rax, 64+552(%rsp)
	movq %rax, 64+560(%rsp)
	movq %rax, 64+568(%rsp)
	movl $0xfff9ffff, %eax                  /* all components but 17, 18 (AMX) */
	movl $0xffffffff, %edx
	xsave64 64(%rsp)
	jmp 3f
2:	fxsave64 64(%rsp)
3:	movq 8(%rbx), %rdi                      /* GOT[1] */
	movq 16(%rbx), %rsi                     /* n */
	call staticdl_lazy_fixup
	movq %rax, %r11                         /* the function */
	cmpl $0, staticdl_lazy_xsave_size(%rip)
	je 4f
	movl $0xfff9ffff, %eax
	movl $0xffffffff, %edx
	xrstor64 64(%rsp)
	jmp 5f
4:	fxrstor64 64(%rsp)
5:	movq 0(%rsp), %rax
	movq 8(%rsp), %rcx
	movq 16(%rsp), %rdx
	movq 24(%rsp), %rsi
	movq 32(%rsp), %rdi
	movq 40(%rsp), %r8
	movq 48(%rsp), %r9
	movq 56(%rsp), %r10
	movq %rbx, %rsp
	.cfi_def_cfa_register %rsp
	popq %rbx
	.cfi_def_cfa_offset 24
	.cfi_restore %rbx
	addq $16, %rsp                          /* GOT[1], n */
	.cfi_def_cfa_offset 8
	jmp *%r11
	.cfi_endproc
	.size staticdl_lazy_entry, .-staticdl_lazy_entry

	.section .note.GNU-stack,"",@progbits
