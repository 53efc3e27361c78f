// Local arrays with dynamic indexing (spills to .local), alloca-like stack frames, structs.
__global__ void local_array_dynamic_index(const int *in, const int *idx, int *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int arr[32];
        for (int k = 0; k < 32; ++k) arr[k] = in[i] * k + (k ^ 5);
        out[i] = arr[idx[i] & 31] + arr[(idx[i] * 7) & 31];
    }
}

__global__ void local_sort(const float *in, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float v[16];
        for (int k = 0; k < 16; ++k) v[k] = in[(i * 16 + k) % n];
        for (int a = 1; a < 16; ++a) {   // insertion sort with data-dependent indices
            float key = v[a];
            int b = a - 1;
            while (b >= 0 && v[b] > key) { v[b + 1] = v[b]; --b; }
            v[b + 1] = key;
        }
        out[i] = v[0] + v[7] * 0.5f + v[15];
    }
}

__global__ void local_histogram(const unsigned char *data, int *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int h[16] = {0};
    for (int k = i; k < n; k += gridDim.x * blockDim.x) h[data[k] & 15]++;
    for (int k = 0; k < 16; ++k) atomicAdd(&out[k], h[k]);
}

struct Particle { float pos[3]; float vel[3]; int id; };

__global__ void local_struct_array(const Particle *in, Particle *out, const int *perm, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        Particle ps[4];
        for (int k = 0; k < 4; ++k) ps[k] = in[(i + k) % n];
        Particle p = ps[perm[i] & 3];
        for (int d = 0; d < 3; ++d) p.pos[d] += p.vel[d] * 0.01f;
        out[i] = p;
    }
}

__global__ void local_double_stack(const double *in, double *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        double stack[24];
        int sp = 0;
        double x = in[i];
        while (x > 1.0 && sp < 24) { stack[sp++] = x; x *= 0.5; }
        double acc = 0.0;
        while (sp > 0) acc = acc * 0.5 + stack[--sp];
        out[i] = acc;
    }
}

__global__ void local_asm_ld_st(int *out) {
    int r;
    asm volatile("{\n\t.local .align 4 .b8 buf[16];\n\t.reg .b32 t;\n\t"
                 "st.local.u32 [buf+4], %1;\n\t"
                 "ld.local.u32 t, [buf+4];\n\t"
                 "add.s32 %0, t, 1;\n\t}"
                 : "=r"(r) : "r"((int)threadIdx.x));
    out[threadIdx.x] = r;
}
