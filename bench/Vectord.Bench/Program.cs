Console.WriteLine("usage: ann ...");
