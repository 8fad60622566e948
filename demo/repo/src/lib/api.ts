import axios from "axios";
import { FUNCTIONS_URL } from "@/lib/supabase";
import { getAccessToken, signOut } from "@/lib/auth";

const client = axios.create({ baseURL: FUNCTIONS_URL });

client.interceptors.request.use(async (config) => {
  const token = await getAccessToken();
  if (token) {
    config.headers.Authorization = `Bearer ${token}`;
  }
  return config;
});

client.interceptors.response.use(
  (response) => response,
  async (error) => {
    if (error.response?.status === 401) {
      await signOut();
    }
    return Promise.reject(error);
  },
);

export async function apiPost<T = any>(path: string, body: unknown): Promise<T> {
  const { data } = await client.post(path, body);
  return data;
}

export async function apiGet<T = any>(path: string): Promise<T> {
  const { data } = await client.get(path);
  return data;
}
